package com.acme.shop.model;

import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.time.Instant;

/** One user interaction on the shop's web site ({@code web.clickstream}, keyed by userId). */
public record ClickEvent(
    String eventId,
    String userId,
    String sessionId,
    ClickType type,
    String page,
    String productId,
    Instant eventTime)
    implements EventTimed {
  public ClickEvent {
    text(eventId, "eventId");
    text(userId, "userId");
    present(sessionId, "sessionId");
    present(type, "type");
    present(page, "page");
    present(eventTime, "eventTime");
  }
}
