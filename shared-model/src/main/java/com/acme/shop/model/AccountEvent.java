package com.acme.shop.model;

import static com.acme.shop.model.Require.money;
import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A fact in the bank's event store ({@code bank.account-events}, keyed by accountId): the {@code
 * sequence}-th event of its account, 1, 2, ... with no gaps. Events are read back to rebuild
 * balances, so they are checked like any input: the fields each type needs, a positive amount for
 * money moved, and no amount where none belongs.
 */
public record AccountEvent(
    String eventId,
    String accountId,
    long sequence,
    AccountEventType type,
    BigDecimal amount,
    String owner,
    String commandId,
    Instant eventTime)
    implements EventTimed {
  public AccountEvent {
    text(eventId, "eventId");
    text(accountId, "accountId");
    if (sequence < 1) {
      throw new InvalidEventException("field 'sequence' must be at least 1: " + sequence);
    }
    present(type, "type");
    amount = money(amount, "amount");
    text(commandId, "commandId");
    present(eventTime, "eventTime");
    switch (type) {
      case MONEY_DEPOSITED, MONEY_WITHDRAWN -> {
        if (present(amount, "amount").signum() <= 0) {
          throw new InvalidEventException(
              "field 'amount' must be positive for " + type.wire() + ": " + amount);
        }
      }
      case ACCOUNT_OPENED -> {
        present(owner, "owner");
        noAmount(amount, type);
      }
      case ACCOUNT_CLOSED -> noAmount(amount, type);
    }
  }

  private static void noAmount(BigDecimal amount, AccountEventType type) {
    if (amount != null) {
      throw new InvalidEventException("field 'amount' must be absent for " + type.wire());
    }
  }
}
