package com.acme.shop.ledger;

import static com.acme.shop.model.AccountCommandType.CLOSE_ACCOUNT;
import static com.acme.shop.model.AccountCommandType.DEPOSIT;
import static com.acme.shop.model.AccountCommandType.OPEN_ACCOUNT;
import static com.acme.shop.model.AccountCommandType.WITHDRAW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountCommandType;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.AccountEventType;
import com.acme.shop.model.AccountStatus;
import com.acme.shop.model.InvalidEventException;
import com.acme.shop.model.RejectionReason;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The aggregate's rules: every rejection reason and every accepted path, with the boundaries. */
class AccountsTest {
  static final Instant T = Instant.parse("2026-11-23T09:00:00Z");

  static AccountCommand command(String id, AccountCommandType type, String amount) {
    return new AccountCommand(
        id,
        "acc-1",
        type,
        amount == null ? null : new BigDecimal(amount),
        type == OPEN_ACCOUNT ? "Ada" : null,
        T.plusSeconds(id.hashCode() & 0xff));
  }

  static AccountBalance account(String balance, AccountStatus status, long version) {
    return new AccountBalance("acc-1", "Ada", new BigDecimal(balance), status, version, T);
  }

  static final AccountBalance OPEN_WITH_100 = account("100.00", AccountStatus.OPEN, 3);
  static final AccountBalance EMPTY = account("0.00", AccountStatus.OPEN, 5);
  static final AccountBalance CLOSED = account("0.00", AccountStatus.CLOSED, 6);

  static RejectionReason rejection(AccountBalance account, AccountCommand command) {
    Accounts.Decision decision = Accounts.decide(account, command);
    assertThat(decision.event()).as("no event for a rejected command").isNull();
    return decision.rejection();
  }

  static AccountEvent accepted(AccountBalance account, AccountCommand command) {
    Accounts.Decision decision = Accounts.decide(account, command);
    assertThat(decision.rejection()).as("no rejection for an accepted command").isNull();
    return decision.event();
  }

  @Test
  void anOpenOfANewAccountIsItsFirstEvent() {
    AccountCommand open = command("c1", OPEN_ACCOUNT, null);
    AccountEvent opened = accepted(null, open);
    assertThat(opened)
        .isEqualTo(
            new AccountEvent(
                "acc-1#1",
                "acc-1",
                1,
                AccountEventType.ACCOUNT_OPENED,
                null,
                "Ada",
                "c1",
                open.eventTime()));
    assertThat(Accounts.apply(null, opened))
        .isEqualTo(
            new AccountBalance(
                "acc-1", "Ada", new BigDecimal("0.00"), AccountStatus.OPEN, 1, open.eventTime()));
  }

  @Test
  void anAccountIsOpenedOnceEvenAfterItWasClosed() {
    assertThat(rejection(OPEN_WITH_100, command("c", OPEN_ACCOUNT, null)))
        .isEqualTo(RejectionReason.ACCOUNT_EXISTS);
    assertThat(rejection(CLOSED, command("c", OPEN_ACCOUNT, null)))
        .isEqualTo(RejectionReason.ACCOUNT_EXISTS);
  }

  @Test
  void nothingButAnOpenReachesAnAccountNeverOpened() {
    assertThat(rejection(null, command("c", DEPOSIT, "10.00")))
        .isEqualTo(RejectionReason.NO_SUCH_ACCOUNT);
    assertThat(rejection(null, command("c", WITHDRAW, "10.00")))
        .isEqualTo(RejectionReason.NO_SUCH_ACCOUNT);
    assertThat(rejection(null, command("c", CLOSE_ACCOUNT, null)))
        .isEqualTo(RejectionReason.NO_SUCH_ACCOUNT);
  }

  @Test
  void depositsAndWithdrawalsMustBePositive() {
    assertThat(rejection(OPEN_WITH_100, command("c", DEPOSIT, "0.00")))
        .isEqualTo(RejectionReason.INVALID_AMOUNT);
    assertThat(rejection(OPEN_WITH_100, command("c", WITHDRAW, "0")))
        .isEqualTo(RejectionReason.INVALID_AMOUNT);
    // A fault of the command alone comes first, whatever the account.
    assertThat(rejection(null, command("c", DEPOSIT, "0.00")))
        .isEqualTo(RejectionReason.INVALID_AMOUNT);
    assertThat(rejection(CLOSED, command("c", WITHDRAW, "0.00")))
        .isEqualTo(RejectionReason.INVALID_AMOUNT);
    // The smallest positive amount is fine.
    assertThat(accepted(OPEN_WITH_100, command("c", DEPOSIT, "0.01")).amount())
        .isEqualTo(new BigDecimal("0.01"));
  }

  @Test
  void aDepositAddsToTheBalanceWithTheNextSequence() {
    AccountEvent deposited = accepted(OPEN_WITH_100, command("c9", DEPOSIT, "0.10"));
    assertThat(deposited.sequence()).isEqualTo(4);
    assertThat(deposited.eventId()).isEqualTo("acc-1#4");
    assertThat(deposited.type()).isEqualTo(AccountEventType.MONEY_DEPOSITED);
    assertThat(deposited.commandId()).isEqualTo("c9");
    AccountBalance after = Accounts.apply(OPEN_WITH_100, deposited);
    assertThat(after.balance()).isEqualTo(new BigDecimal("100.10"));
    assertThat(after.version()).isEqualTo(4);
    assertThat(after.asOf()).isEqualTo(deposited.eventTime());
  }

  @Test
  void aDepositMayNotTakeTheBalanceBeyondWhatTheLedgerHolds() {
    AccountBalance rich = account("9999999999.98", AccountStatus.OPEN, 2);
    assertThat(Accounts.apply(rich, accepted(rich, command("c", DEPOSIT, "0.01"))).balance())
        .isEqualTo(new BigDecimal("9999999999.99"));
    assertThat(rejection(rich, command("c", DEPOSIT, "0.02")))
        .isEqualTo(RejectionReason.INVALID_AMOUNT);
  }

  @Test
  void aWithdrawalOfExactlyTheBalanceIsAllowedOneCentMoreIsNot() {
    AccountEvent all = accepted(OPEN_WITH_100, command("c", WITHDRAW, "100.00"));
    assertThat(Accounts.apply(OPEN_WITH_100, all).balance()).isEqualTo(new BigDecimal("0.00"));
    assertThat(rejection(OPEN_WITH_100, command("c", WITHDRAW, "100.01")))
        .isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
    assertThat(rejection(EMPTY, command("c", WITHDRAW, "0.01")))
        .isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
  }

  @Test
  void anAccountClosesAtZeroOnlyNotAtOneCent() {
    AccountEvent closed = accepted(EMPTY, command("c", CLOSE_ACCOUNT, null));
    assertThat(closed.type()).isEqualTo(AccountEventType.ACCOUNT_CLOSED);
    assertThat(closed.amount()).isNull();
    AccountBalance after = Accounts.apply(EMPTY, closed);
    assertThat(after.status()).isEqualTo(AccountStatus.CLOSED);
    assertThat(after.version()).isEqualTo(6);
    assertThat(after.balance()).isEqualTo(new BigDecimal("0.00"));

    assertThat(rejection(account("0.01", AccountStatus.OPEN, 5), command("c", CLOSE_ACCOUNT, null)))
        .isEqualTo(RejectionReason.NONZERO_BALANCE);
  }

  @Test
  void aClosedAccountAcceptsNothing() {
    assertThat(rejection(CLOSED, command("c", DEPOSIT, "1.00")))
        .isEqualTo(RejectionReason.ACCOUNT_CLOSED);
    assertThat(rejection(CLOSED, command("c", WITHDRAW, "1.00")))
        .isEqualTo(RejectionReason.ACCOUNT_CLOSED);
    assertThat(rejection(CLOSED, command("c", CLOSE_ACCOUNT, null)))
        .isEqualTo(RejectionReason.ACCOUNT_CLOSED);
  }

  static AccountEvent event(long sequence, AccountEventType type, String amount) {
    return new AccountEvent(
        "acc-1#" + sequence,
        "acc-1",
        sequence,
        type,
        amount == null ? null : new BigDecimal(amount),
        type == AccountEventType.ACCOUNT_OPENED ? "Ada" : null,
        "c" + sequence,
        T);
  }

  @Test
  void applyRefusesEventsNoCommandCouldHaveProduced() {
    assertThatThrownBy(() -> Accounts.apply(null, event(1, AccountEventType.MONEY_DEPOSITED, "1")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("MoneyDeposited before AccountOpened");
    assertThatThrownBy(
            () -> Accounts.apply(OPEN_WITH_100, event(4, AccountEventType.ACCOUNT_OPENED, null)))
        .hasMessage("AccountOpened of an account already open");
    assertThatThrownBy(
            () ->
                Accounts.apply(OPEN_WITH_100, event(4, AccountEventType.MONEY_WITHDRAWN, "100.01")))
        .hasMessage("withdrawal of 100.01 exceeds the balance 100.00");
    assertThatThrownBy(
            () -> Accounts.apply(OPEN_WITH_100, event(4, AccountEventType.ACCOUNT_CLOSED, null)))
        .hasMessage("AccountClosed with a balance of 100.00");
    assertThatThrownBy(
            () -> Accounts.apply(CLOSED, event(7, AccountEventType.MONEY_DEPOSITED, "1")))
        .hasMessage("MoneyDeposited after AccountClosed");
    assertThatThrownBy(
            () -> Accounts.apply(OPEN_WITH_100, event(5, AccountEventType.MONEY_DEPOSITED, "1")))
        .hasMessage("event 5 cannot follow version 3");
  }
}
