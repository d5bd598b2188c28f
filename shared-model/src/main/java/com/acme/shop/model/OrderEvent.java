package com.acme.shop.model;

import static com.acme.shop.model.Require.nonNegativeMoney;
import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.math.BigDecimal;
import java.time.Instant;

/** A step of an order's saga ({@code orders.events}, keyed by orderId), as the outbox routes it. */
public record OrderEvent(
    String eventId,
    String orderId,
    OrderEventType type,
    String customerId,
    BigDecimal amount,
    Instant eventTime)
    implements EventTimed {
  public OrderEvent {
    text(eventId, "eventId");
    text(orderId, "orderId");
    present(type, "type");
    amount = nonNegativeMoney(amount, "amount");
    present(eventTime, "eventTime");
  }
}
