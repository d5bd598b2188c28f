package com.acme.shop.ledger;

import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.AccountEventType;
import com.acme.shop.model.AccountStatus;
import com.acme.shop.model.InvalidEventException;
import com.acme.shop.model.RejectionReason;
import com.acme.shop.model.Require;
import java.math.BigDecimal;

/**
 * The bank account aggregate, as two pure functions over {@link AccountBalance} (an account as it
 * stands after its last event; {@code null} before the account exists):
 *
 * <ul>
 *   <li>{@link #decide}: what a command does to the account: the one event it appends, or why it is
 *       refused. It changes nothing itself.
 *   <li>{@link #apply}: the account after one more event. The command side applies the events it
 *       decides; the projection applies the events it reads back from the event store. Both fold
 *       the same function over the same events, so a rebuilt balance is the balance the command
 *       side decided against.
 * </ul>
 *
 * Money is {@link BigDecimal} with two decimals throughout.
 */
public final class Accounts {
  private Accounts() {}

  /**
   * A balance may not reach this: it is what Postgres {@code numeric(12,2)} and every other amount
   * of the contract hold ({@link Require#MONEY_INTEGER_DIGITS} integer digits).
   */
  static final BigDecimal BALANCE_LIMIT = BigDecimal.TEN.pow(Require.MONEY_INTEGER_DIGITS);

  /** The outcome of one command: exactly one of {@code event} and {@code rejection} is set. */
  public record Decision(AccountEvent event, RejectionReason rejection) {
    static Decision accept(AccountEvent event) {
      return new Decision(event, null);
    }

    static Decision reject(RejectionReason reason) {
      return new Decision(null, reason);
    }

    public boolean accepted() {
      return event != null;
    }
  }

  /**
   * Decides {@code command} against {@code account}. The checks run in this order, so a command
   * with several faults gets the first reason:
   *
   * <ol>
   *   <li>{@code INVALID_AMOUNT}: a deposit or withdrawal of zero or less (a fault of the command
   *       alone, whatever the account);
   *   <li>{@code ACCOUNT_EXISTS}: an open for an id that was ever opened, closed or not (an id is
   *       opened once); {@code NO_SUCH_ACCOUNT}: anything else for an id never opened;
   *   <li>{@code ACCOUNT_CLOSED}: a deposit, withdrawal or close of a closed account;
   *   <li>{@code INSUFFICIENT_FUNDS}: a withdrawal of more than the balance (exactly the balance is
   *       allowed); {@code NONZERO_BALANCE}: a close of an account that holds money; {@code
   *       INVALID_AMOUNT}: a deposit that would take the balance to {@link #BALANCE_LIMIT} or more.
   * </ol>
   */
  public static Decision decide(AccountBalance account, AccountCommand command) {
    BigDecimal amount = command.amount();
    switch (command.type()) {
      case DEPOSIT, WITHDRAW -> {
        if (amount.signum() <= 0) {
          return Decision.reject(RejectionReason.INVALID_AMOUNT);
        }
      }
      case OPEN_ACCOUNT, CLOSE_ACCOUNT -> {}
    }
    if (account == null) {
      return switch (command.type()) {
        case OPEN_ACCOUNT ->
            Decision.accept(event(null, command, AccountEventType.ACCOUNT_OPENED, null));
        default -> Decision.reject(RejectionReason.NO_SUCH_ACCOUNT);
      };
    }
    return switch (command.type()) {
      case OPEN_ACCOUNT -> Decision.reject(RejectionReason.ACCOUNT_EXISTS);
      case DEPOSIT -> {
        if (account.status() == AccountStatus.CLOSED) {
          yield Decision.reject(RejectionReason.ACCOUNT_CLOSED);
        }
        if (account.balance().add(amount).compareTo(BALANCE_LIMIT) >= 0) {
          yield Decision.reject(RejectionReason.INVALID_AMOUNT);
        }
        yield Decision.accept(event(account, command, AccountEventType.MONEY_DEPOSITED, amount));
      }
      case WITHDRAW -> {
        if (account.status() == AccountStatus.CLOSED) {
          yield Decision.reject(RejectionReason.ACCOUNT_CLOSED);
        }
        if (amount.compareTo(account.balance()) > 0) {
          yield Decision.reject(RejectionReason.INSUFFICIENT_FUNDS);
        }
        yield Decision.accept(event(account, command, AccountEventType.MONEY_WITHDRAWN, amount));
      }
      case CLOSE_ACCOUNT -> {
        if (account.status() == AccountStatus.CLOSED) {
          yield Decision.reject(RejectionReason.ACCOUNT_CLOSED);
        }
        if (account.balance().signum() != 0) {
          yield Decision.reject(RejectionReason.NONZERO_BALANCE);
        }
        yield Decision.accept(event(account, command, AccountEventType.ACCOUNT_CLOSED, null));
      }
    };
  }

  /** The event {@code command} appends to {@code account}: its next sequence number. */
  private static AccountEvent event(
      AccountBalance account, AccountCommand command, AccountEventType type, BigDecimal amount) {
    long sequence = account == null ? 1 : account.version() + 1;
    return new AccountEvent(
        eventId(command.accountId(), sequence),
        command.accountId(),
        sequence,
        type,
        amount,
        type == AccountEventType.ACCOUNT_OPENED ? command.owner() : null,
        command.commandId(),
        command.eventTime());
  }

  /**
   * An event's id: its account and sequence, which are unique in the store by construction and the
   * same in every replay or restore of the command side.
   */
  static String eventId(String accountId, long sequence) {
    return accountId + "#" + sequence;
  }

  /**
   * The account after {@code event}, which must be the account's next event. An event that no
   * command could have produced (a deposit before the open, a withdrawal below zero, anything after
   * the close) is refused rather than applied, so a damaged event store never yields a balance the
   * command side would not have allowed.
   *
   * @throws InvalidEventException saying why the event cannot follow {@code account}
   */
  public static AccountBalance apply(AccountBalance account, AccountEvent event) {
    long expected = account == null ? 1 : account.version() + 1;
    if (event.sequence() != expected) {
      throw new InvalidEventException(
          "event " + event.sequence() + " cannot follow version " + (expected - 1));
    }
    if (account == null) {
      if (event.type() != AccountEventType.ACCOUNT_OPENED) {
        throw new InvalidEventException(event.type().wire() + " before AccountOpened");
      }
      return new AccountBalance(
          event.accountId(),
          event.owner(),
          BigDecimal.ZERO.setScale(Require.MONEY_DECIMALS),
          AccountStatus.OPEN,
          event.sequence(),
          event.eventTime());
    }
    if (account.status() == AccountStatus.CLOSED) {
      throw new InvalidEventException(event.type().wire() + " after AccountClosed");
    }
    BigDecimal balance =
        switch (event.type()) {
          case ACCOUNT_OPENED ->
              throw new InvalidEventException("AccountOpened of an account already open");
          case MONEY_DEPOSITED -> account.balance().add(event.amount());
          case MONEY_WITHDRAWN -> account.balance().subtract(event.amount());
          case ACCOUNT_CLOSED -> account.balance();
        };
    if (balance.signum() < 0) {
      throw new InvalidEventException(
          "withdrawal of " + event.amount() + " exceeds the balance " + account.balance());
    }
    if (balance.compareTo(BALANCE_LIMIT) >= 0) {
      throw new InvalidEventException(
          "deposit of " + event.amount() + " takes the balance beyond the ledger's limit");
    }
    if (event.type() == AccountEventType.ACCOUNT_CLOSED && balance.signum() != 0) {
      throw new InvalidEventException("AccountClosed with a balance of " + balance);
    }
    return new AccountBalance(
        account.accountId(),
        account.owner(),
        balance,
        event.type() == AccountEventType.ACCOUNT_CLOSED ? AccountStatus.CLOSED : AccountStatus.OPEN,
        event.sequence(),
        event.eventTime());
  }
}
