package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.AccountEventType;
import com.acme.shop.model.AccountStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The projection applies each account's events in sequence; duplicates, gaps and events no command
 * could have produced become dead letters and change nothing; time travel stops each account at its
 * first event after the instant.
 */
class BalanceProjectionTest {
  static final Instant DAY = Instant.parse("2026-11-23T09:00:00Z");
  static final Instant FAILED_AT = Instant.parse("2026-12-01T10:00:00Z");

  static KeyedOneInputStreamOperatorTestHarness<String, AccountEvent, AccountBalance> harness(
      Instant replayUntil) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new BalanceProjection.ProjectBalances(
                    "account-ledger",
                    "store",
                    replayUntil,
                    Clock.fixed(FAILED_AT, ZoneOffset.UTC))),
            AccountEvent::accountId,
            Types.STRING);
    harness.open();
    return harness;
  }

  static AccountEvent event(
      String account, long sequence, AccountEventType type, String amount, int second) {
    return new AccountEvent(
        account + "#" + sequence,
        account,
        sequence,
        type,
        amount == null ? null : new BigDecimal(amount),
        type == AccountEventType.ACCOUNT_OPENED ? "Ada" : null,
        "c-" + account + "-" + sequence,
        DAY.plusSeconds(second));
  }

  static AccountEvent opened(String account, int second) {
    return event(account, 1, AccountEventType.ACCOUNT_OPENED, null, second);
  }

  static AccountEvent deposited(String account, long sequence, String amount, int second) {
    return event(account, sequence, AccountEventType.MONEY_DEPOSITED, amount, second);
  }

  static AccountEvent withdrawn(String account, long sequence, String amount, int second) {
    return event(account, sequence, AccountEventType.MONEY_WITHDRAWN, amount, second);
  }

  static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, AccountEvent, AccountBalance> h,
      AccountEvent... events)
      throws Exception {
    for (AccountEvent e : events) {
      h.processElement(e, e.eventTime().toEpochMilli());
    }
  }

  static List<DeadLetter> problems(
      KeyedOneInputStreamOperatorTestHarness<String, AccountEvent, AccountBalance> h) {
    var side = h.getSideOutput(BalanceProjection.PROBLEMS);
    List<DeadLetter> out = new ArrayList<>();
    if (side != null) {
      side.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  static AccountBalance balance(
      String account, String balance, AccountStatus status, long version, int second) {
    return new AccountBalance(
        account, "Ada", new BigDecimal(balance), status, version, DAY.plusSeconds(second));
  }

  @Test
  void eachAppliedEventUpsertsTheBalance() throws Exception {
    try (var h = harness(null)) {
      feed(
          h,
          opened("a", 0),
          opened("b", 1),
          deposited("a", 2, "10.50", 2),
          withdrawn("a", 3, "10.50", 3),
          event("a", 4, AccountEventType.ACCOUNT_CLOSED, null, 4));
      assertThat(h.extractOutputValues())
          .containsExactly(
              balance("a", "0.00", AccountStatus.OPEN, 1, 0),
              balance("b", "0.00", AccountStatus.OPEN, 1, 1),
              balance("a", "10.50", AccountStatus.OPEN, 2, 2),
              balance("a", "0.00", AccountStatus.OPEN, 3, 3),
              balance("a", "0.00", AccountStatus.CLOSED, 4, 4));
      assertThat(problems(h)).isEmpty();
    }
  }

  @Test
  void duplicatesGapsAndImpossibleEventsAreReportedAndNeverApplied() throws Exception {
    try (var h = harness(null)) {
      AccountEvent duplicate = deposited("a", 2, "10.00", 2);
      AccountEvent beyondTheGap = deposited("a", 5, "7.00", 5);
      AccountEvent overdraft = withdrawn("a", 3, "99.00", 6);
      feed(
          h,
          opened("a", 0),
          deposited("a", 2, "10.00", 2),
          duplicate,
          opened("a", 3),
          beyondTheGap,
          overdraft,
          deposited("a", 3, "1.00", 7));

      assertThat(h.extractOutputValues())
          .extracting(AccountBalance::version, AccountBalance::balance)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1L, new BigDecimal("0.00")),
              org.assertj.core.groups.Tuple.tuple(2L, new BigDecimal("10.00")),
              org.assertj.core.groups.Tuple.tuple(3L, new BigDecimal("11.00")));
      List<DeadLetter> problems = problems(h);
      assertThat(problems)
          .extracting(DeadLetter::error)
          .containsExactly(
              "duplicate sequence 2 of account a: version 2 is applied already; not applied again",
              "duplicate sequence 1 of account a: version 2 is applied already; not applied again",
              "sequence gap in account a: expected sequence 3, got 5; not applied",
              "event 3 cannot be applied to account a: withdrawal of 99.00 exceeds the balance"
                  + " 10.00; not applied");
      DeadLetter first = problems.get(0);
      assertThat(first.job()).isEqualTo("account-ledger");
      assertThat(first.sourceTopic()).isEqualTo("store");
      assertThat(first.key()).isEqualTo("a");
      assertThat(first.failedAt()).isEqualTo(FAILED_AT);
      assertThat(Json.parse(first.value().getBytes(StandardCharsets.UTF_8), AccountEvent.class))
          .isEqualTo(duplicate);
    }
  }

  @Test
  void timeTravelStopsEachAccountAtItsFirstEventAfterTheInstant() throws Exception {
    try (var h = harness(DAY.plusSeconds(10))) {
      feed(
          h,
          opened("a", 0),
          deposited("a", 2, "5.00", 10), // exactly at the instant: counted
          deposited("a", 3, "6.00", 12),
          // Earlier than the one before, which happened after the instant: not yet applied then.
          deposited("a", 4, "7.00", 9),
          opened("b", 11),
          opened("c", 1),
          deposited("c", 2, "1.00", 2));
      assertThat(h.extractOutputValues())
          .containsExactly(
              balance("a", "0.00", AccountStatus.OPEN, 1, 0),
              balance("a", "5.00", AccountStatus.OPEN, 2, 10),
              balance("c", "0.00", AccountStatus.OPEN, 1, 1),
              balance("c", "1.00", AccountStatus.OPEN, 2, 2));
      assertThat(problems(h)).as("skipping is no problem").isEmpty();
    }
  }
}
