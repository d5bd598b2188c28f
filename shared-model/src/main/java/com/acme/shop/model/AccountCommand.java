package com.acme.shop.model;

import static com.acme.shop.model.Require.nonNegativeMoney;
import static com.acme.shop.model.Require.present;
import static com.acme.shop.model.Require.text;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A command to a bank account ({@code bank.account-commands}, keyed by accountId). Whether the
 * command is allowed (enough funds, an open account, a non-zero amount) is the aggregate's
 * decision, with a rejection; the schema asks for the fields each type needs and a well-formed
 * amount. A negative amount is no amount of money a client can mean: like a non-numeric one it
 * breaks the schema and goes to the dead-letter topic.
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
    amount = nonNegativeMoney(amount, "amount");
    present(eventTime, "eventTime");
    switch (type) {
      case DEPOSIT, WITHDRAW -> present(amount, "amount");
      case OPEN_ACCOUNT -> present(owner, "owner");
      case CLOSE_ACCOUNT -> {}
    }
  }
}
