package com.acme.shop.model;

import java.math.BigDecimal;
import java.time.Instant;

/** A fact in the bank's event store ({@code bank.account-events}); sequence has no gaps. */
public record AccountEvent(
    String eventId,
    String accountId,
    long sequence,
    AccountEventType type,
    BigDecimal amount,
    String owner,
    String commandId,
    Instant eventTime)
    implements EventTimed {}
