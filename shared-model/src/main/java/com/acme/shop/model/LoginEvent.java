package com.acme.shop.model;

import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.time.Instant;

/** A login attempt ({@code auth.logins}, keyed by userId). */
public record LoginEvent(
    String eventId,
    String userId,
    Boolean success,
    String ip,
    String country,
    String deviceId,
    Instant eventTime)
    implements EventTimed {
  public LoginEvent {
    text(eventId, "eventId");
    text(userId, "userId");
    present(success, "success");
    present(ip, "ip");
    present(country, "country");
    present(deviceId, "deviceId");
    present(eventTime, "eventTime");
  }
}
