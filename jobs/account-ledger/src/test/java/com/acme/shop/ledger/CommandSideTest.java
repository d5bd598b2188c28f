package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountCommandType;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.CommandRejection;
import com.acme.shop.model.RejectionReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The account aggregate operator: a retried command is applied once, also after a restore from a
 * snapshot, the remembered command ids expire after the retention (a retry after it is new), and
 * the accounts themselves stay.
 */
class CommandSideTest {
  static final Duration RETENTION = Duration.ofDays(7);
  static final Instant DAY = Instant.parse("2026-11-23T09:00:00Z");

  static KeyedOneInputStreamOperatorTestHarness<String, AccountCommand, AccountEvent> harness(
      OperatorSubtaskState restoreFrom) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new CommandSide.HandleCommands(RETENTION)),
            AccountCommand::accountId,
            Types.STRING);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }

  static AccountCommand command(
      String id, String account, AccountCommandType type, String amount, Instant time) {
    return new AccountCommand(
        id,
        account,
        type,
        amount == null ? null : new BigDecimal(amount),
        type == AccountCommandType.OPEN_ACCOUNT ? "Owner of " + account : null,
        time);
  }

  static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, AccountCommand, AccountEvent> h,
      AccountCommand... commands)
      throws Exception {
    for (AccountCommand c : commands) {
      h.processElement(c, c.eventTime().toEpochMilli());
    }
  }

  static List<String> events(
      KeyedOneInputStreamOperatorTestHarness<String, AccountCommand, AccountEvent> h) {
    return h.extractOutputValues().stream()
        .map(e -> e.eventId() + " " + e.type().wire() + " " + e.amount() + " " + e.commandId())
        .toList();
  }

  static List<String> rejections(
      KeyedOneInputStreamOperatorTestHarness<String, AccountCommand, AccountEvent> h) {
    var side = h.getSideOutput(CommandSide.REJECTIONS);
    if (side == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    side.forEach(
        r -> {
          CommandRejection rejection = r.getValue();
          out.add(rejection.commandId() + " " + rejection.reason());
        });
    return out;
  }

  static final AccountCommand OPEN = command("c1", "a", AccountCommandType.OPEN_ACCOUNT, null, DAY);
  static final AccountCommand DEPOSIT =
      command("c2", "a", AccountCommandType.DEPOSIT, "50.00", DAY.plusSeconds(1));
  static final AccountCommand OVERDRAFT =
      command("c3", "a", AccountCommandType.WITHDRAW, "80.00", DAY.plusSeconds(2));

  @Test
  void aRetriedCommandIsAppliedOrRejectedOnce() throws Exception {
    try (var h = harness(null)) {
      // The retries carry the same commandId; one is sent later, as a client retrying would.
      feed(h, OPEN, DEPOSIT, OPEN, DEPOSIT, OVERDRAFT, OVERDRAFT);
      feed(h, command("c2", "a", AccountCommandType.DEPOSIT, "50.00", DAY.plusSeconds(60)));

      assertThat(events(h))
          .containsExactly("a#1 AccountOpened null c1", "a#2 MoneyDeposited 50.00 c2");
      assertThat(rejections(h)).containsExactly("c3 INSUFFICIENT_FUNDS");
    }
  }

  @Test
  void aRetryAfterARestoreFromASnapshotIsStillRecognised() throws Exception {
    OperatorSubtaskState snapshot;
    int entries;
    try (var h = harness(null)) {
      feed(h, OPEN, DEPOSIT, OVERDRAFT);
      entries = h.numKeyedStateEntries();
      snapshot = h.snapshot(1L, 0L);
    }
    try (var h = harness(snapshot)) {
      assertThat(h.numKeyedStateEntries()).isEqualTo(entries);
      feed(
          h,
          DEPOSIT,
          OVERDRAFT,
          command("c4", "a", AccountCommandType.WITHDRAW, "50.00", DAY.plusSeconds(3)),
          command("c5", "a", AccountCommandType.CLOSE_ACCOUNT, null, DAY.plusSeconds(4)));

      // The restored account goes on at sequence 3; the retries produce nothing.
      assertThat(events(h))
          .containsExactly("a#3 MoneyWithdrawn 50.00 c4", "a#4 AccountClosed null c5");
      assertThat(rejections(h)).isEmpty();
    }
  }

  @Test
  void commandIdsAreForgottenAfterTheRetentionAndARetryThenIsNew() throws Exception {
    try (var h = harness(null)) {
      feed(
          h,
          OPEN,
          DEPOSIT,
          command("b1", "b", AccountCommandType.OPEN_ACCOUNT, null, DAY.plusSeconds(5)));
      // The account and its seen ids, for each of the two accounts.
      assertThat(h.numKeyedStateEntries()).isEqualTo(4);
      assertThat(h.numEventTimeTimers()).isEqualTo(3);

      // Just before the retention of c2 ends, it is still a retry.
      h.processWatermark(new Watermark(DAY.plus(RETENTION).plusSeconds(1).toEpochMilli() - 1));
      feed(h, command("c2", "a", AccountCommandType.DEPOSIT, "50.00", DAY.plus(RETENTION)));
      assertThat(events(h)).hasSize(3);

      // Once the watermark passes every id's retention, only the accounts are left.
      h.processWatermark(new Watermark(DAY.plus(RETENTION).plusSeconds(5).toEpochMilli()));
      assertThat(h.numEventTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).as("the two accounts only").isEqualTo(2);

      // The same commandId after the retention is a new command, and is applied again.
      feed(
          h,
          command(
              "c2", "a", AccountCommandType.DEPOSIT, "50.00", DAY.plus(RETENTION).plusSeconds(6)));
      assertThat(events(h))
          .containsExactly(
              "a#1 AccountOpened null c1",
              "a#2 MoneyDeposited 50.00 c2",
              "b#1 AccountOpened null b1",
              "a#3 MoneyDeposited 50.00 c2");

      // A bounded run's final watermark forgets every id.
      h.processWatermark(Watermark.MAX_WATERMARK);
      assertThat(h.numEventTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
    }
  }

  @Test
  void everyRejectionReasonIsEmittedAsARejectionWithTheCommandsTime() throws Exception {
    try (var h = harness(null)) {
      feed(
          h,
          command("x1", "x", AccountCommandType.DEPOSIT, "5.00", DAY),
          OPEN,
          command("x2", "a", AccountCommandType.OPEN_ACCOUNT, null, DAY.plusSeconds(1)),
          command("x3", "a", AccountCommandType.DEPOSIT, "0.00", DAY.plusSeconds(2)),
          DEPOSIT,
          command("x4", "a", AccountCommandType.WITHDRAW, "50.01", DAY.plusSeconds(3)),
          command("x5", "a", AccountCommandType.CLOSE_ACCOUNT, null, DAY.plusSeconds(4)),
          command("x6", "a", AccountCommandType.WITHDRAW, "50.00", DAY.plusSeconds(5)),
          command("x7", "a", AccountCommandType.CLOSE_ACCOUNT, null, DAY.plusSeconds(6)),
          command("x8", "a", AccountCommandType.DEPOSIT, "1.00", DAY.plusSeconds(7)));
      assertThat(rejections(h))
          .containsExactly(
              "x1 NO_SUCH_ACCOUNT",
              "x2 ACCOUNT_EXISTS",
              "x3 INVALID_AMOUNT",
              "x4 INSUFFICIENT_FUNDS",
              "x5 NONZERO_BALANCE",
              "x8 ACCOUNT_CLOSED");
      assertThat(h.getSideOutput(CommandSide.REJECTIONS).peek().getValue())
          .isEqualTo(new CommandRejection("x1", "x", RejectionReason.NO_SUCH_ACCOUNT, DAY));
      assertThat(events(h))
          .containsExactly(
              "a#1 AccountOpened null c1",
              "a#2 MoneyDeposited 50.00 c2",
              "a#3 MoneyWithdrawn 50.00 x6",
              "a#4 AccountClosed null x7");
    }
  }
}
