package com.acme.shop.model;

import static com.acme.shop.model.Require.money;
import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A command to a bank account ({@code bank.account-commands}, keyed by accountId). Whether the
 * command is allowed (positive amounts, enough funds) is the aggregate's decision, not the
 * schema's; the schema only asks for the fields each type needs.
 */
public record AccountCommand(
    String commandId,
    String accountId,
    AccountCommandType type,
    BigDecimal amount,
    String owner,
    Instant eventTime)
    implements EventTimed {
  public AccountCommand {
    text(commandId, "commandId");
    text(accountId, "accountId");
    present(type, "type");
    // Negative amounts parse: rejecting them is the ledger's business rule, with a rejection.
    amount = money(amount, "amount");
    present(eventTime, "eventTime");
    switch (type) {
      case DEPOSIT, WITHDRAW -> present(amount, "amount");
      case OPEN_ACCOUNT -> present(owner, "owner");
      case CLOSE_ACCOUNT -> {}
    }
  }
}
