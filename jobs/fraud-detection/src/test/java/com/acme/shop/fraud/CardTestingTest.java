package com.acme.shop.fraud;

import static com.acme.shop.fraud.Fixtures.LATE_TRANSACTIONS;
import static com.acme.shop.fraud.Fixtures.RULES;
import static com.acme.shop.fraud.Fixtures.alerts;
import static com.acme.shop.fraud.Fixtures.endOfInput;
import static com.acme.shop.fraud.Fixtures.eventIds;
import static com.acme.shop.fraud.Fixtures.feed;
import static com.acme.shop.fraud.Fixtures.lateTxnIds;
import static com.acme.shop.fraud.Fixtures.txn;
import static com.acme.shop.fraud.Fixtures.watermark;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.AlertSeverity;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CARD_TESTING on the job's own CEP operator: thresholds, the 10 minutes, the skip strategy. */
class CardTestingTest {
  KeyedOneInputStreamOperatorTestHarness<String, PaymentTransaction, FraudAlert> harness;

  @BeforeEach
  void start() throws Exception {
    harness =
        Fixtures.harness(
            PaymentTransaction.class, s -> CardTesting.detect(s, RULES, LATE_TRANSACTIONS));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void threeSmallThenALargeOneAlertOnceWithAllOfThem() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "4.99", "09:01:00"),
        txn("s3", "c1", "0.50", "09:02:00"),
        txn("big", "c1", "500.00", "09:05:00"));
    endOfInput(harness);

    List<FraudAlert> alerts = alerts(harness);
    assertThat(alerts).hasSize(1);
    FraudAlert alert = alerts.get(0);
    assertThat(alert.rule()).isEqualTo(FraudRule.CARD_TESTING);
    assertThat(alert.severity()).isEqualTo(AlertSeverity.HIGH);
    assertThat(alert.key()).isEqualTo("c1");
    assertThat(alert.eventIds()).containsExactly("s1", "s2", "s3", "big");
    assertThat(alert.firstEventTime()).isEqualTo(Fixtures.at("09:00:00"));
    assertThat(alert.lastEventTime()).isEqualTo(Fixtures.at("09:05:00"));
    assertThat(alert.details())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("smallTransactions", "3", "largeAmount", "500.00", "eventCount", "4"));
    assertThat(alert.alertId())
        .isEqualTo(Alerts.alertId(FraudRule.CARD_TESTING, "c1", List.of("s1", "s2", "s3", "big")));
    assertStateIsEmpty();
  }

  @Test
  void twoSmallOnesAreANearMiss() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("big", "c1", "900.00", "09:02:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
    assertStateIsEmpty();
  }

  @Test
  void justUnderTheThresholdsIsNoPattern() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("five", "c1", "5.00", "09:01:30"),
        txn("big", "c1", "499.99", "09:02:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void theLargeOneTenMinutesAndOneSecondAfterTheFirstSmallOneIsTooLate() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("s3", "c1", "1.00", "09:02:00"),
        txn("big", "c1", "700.00", "09:10:01"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
    assertStateIsEmpty();
  }

  @Test
  void onlyTheSmallOnesOfTheLastTenMinutesCount() throws Exception {
    feed(
        harness,
        txn("s0", "c1", "1.00", "08:59:59"),
        txn("s1", "c1", "1.00", "09:00:00.001"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("s3", "c1", "1.00", "09:02:00"),
        txn("big", "c1", "700.00", "09:10:00"));
    endOfInput(harness);

    // s0 is 10 min 1 s before; s1 9 min 59.999 s.
    assertThat(eventIds(harness)).containsExactly(List.of("s1", "s2", "s3", "big"));
  }

  @Test
  void exactlyTenMinutesIsOutside() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("s3", "c1", "1.00", "09:02:00"),
        txn("big", "c1", "700.00", "09:10:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @ParameterizedTest(name = "{0} small transactions")
  @ValueSource(ints = {3, 5, 12})
  void everyLargeOneAlertsExactlyOnceWhateverTheNumberOfSmallOnes(int smallOnes) throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < smallOnes; i++) {
      String id = "s" + (10 + i);
      feed(harness, txn(id, "c1", "2.00", Fixtures.at("09:00:00").plusSeconds(20L * i)));
      expected.add(id);
    }
    feed(harness, txn("big", "c1", "1500.00", "09:09:00"));
    expected.add("big");
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(expected);
    assertStateIsEmpty();
  }

  @Test
  void severalLargeOnesAfterOneRunOfSmallOnesEachAlert() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("s3", "c1", "1.00", "09:02:00"),
        txn("big1", "c1", "600.00", "09:03:00"),
        txn("s4", "c1", "1.00", "09:04:00"),
        txn("big2", "c1", "800.00", "09:05:00"),
        txn("big3", "c1", "900.00", "09:10:30"));
    endOfInput(harness);

    // big3 is more than 10 min after s1 and s2: s3 and s4 are not enough.
    assertThat(eventIds(harness))
        .containsExactly(
            List.of("s1", "s2", "s3", "big1"), List.of("s1", "s2", "s3", "s4", "big2"));
  }

  @Test
  void declinedSmallOnesCountAndOtherTransactionsMayComeBetween() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "DE", TransactionStatus.DECLINED, "09:00:00"),
        txn("m1", "c1", "42.00", "09:00:30"),
        txn("s2", "c1", "1.00", "DE", TransactionStatus.DECLINED, "09:01:00"),
        txn("m2", "c1", "120.00", "09:01:30"),
        txn("m3", "c1", "7.50", "09:01:40"),
        txn("s3", "c1", "3.00", "09:02:00"),
        txn("m4", "c1", "60.00", "09:02:30"),
        txn("big", "c1", "2000.00", "09:03:00"));
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(List.of("s1", "s2", "s3", "big"));
  }

  @Test
  void smallOnesAfterTheLargeOneDoNotCount() throws Exception {
    feed(
        harness,
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"),
        txn("big", "c1", "600.00", "09:02:00"),
        txn("s3", "c1", "1.00", "09:03:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void cardsAreApart() throws Exception {
    feed(
        harness,
        txn("a1", "c1", "1.00", "09:00:00"),
        txn("b1", "c2", "1.00", "09:00:10"),
        txn("a2", "c1", "1.00", "09:00:20"),
        txn("b2", "c2", "1.00", "09:00:30"),
        txn("b3", "c2", "1.00", "09:00:40"),
        txn("bigA", "c1", "600.00", "09:01:00"),
        txn("bigB", "c2", "600.00", "09:01:10"));
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(List.of("b1", "b2", "b3", "bigB"));
  }

  @Test
  void outOfOrderArrivalWithinTheBoundMatchesTheSame() throws Exception {
    feed(
        harness,
        txn("s3", "c1", "1.00", "09:02:00"),
        txn("big", "c1", "600.00", "09:03:00"),
        txn("s1", "c1", "1.00", "09:00:00"),
        txn("s2", "c1", "1.00", "09:01:00"));
    watermark(harness, "09:03:00");

    assertThat(eventIds(harness)).containsExactly(List.of("s1", "s2", "s3", "big"));
  }

  @Test
  void aTransactionAtOrBehindTheWatermarkGoesToTheLateTopic() throws Exception {
    feed(harness, txn("s1", "c1", "1.00", "09:00:00"), txn("s2", "c1", "1.00", "09:01:00"));
    watermark(harness, "09:02:00");
    feed(harness, txn("s3", "c1", "1.00", "09:02:00"), txn("big", "c1", "600.00", "09:03:00"));
    endOfInput(harness);

    assertThat(lateTxnIds(harness)).containsExactly("s3");
    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void aFloodOfSmallOnesListsTheLatestAndKeepsTheStateBounded() throws Exception {
    int cap = RULES.maxAlertEventIds();
    Instant start = Fixtures.at("09:00:00");
    int smallOnes = 20 * cap;
    long stateBytesAtCap = 0;
    for (int i = 0; i < smallOnes; i++) {
      Instant t = start.plusMillis(100L * i);
      feed(harness, txn("s" + (10_000 + i), "c1", "1.00", t));
      harness.processWatermark(t.toEpochMilli());
      if (i == cap) {
        stateBytesAtCap = stateBytes();
      }
    }
    long stateBytesAtTheEnd = stateBytes();
    feed(harness, txn("big", "c1", "600.00", start.plusMillis(100L * smallOnes)));
    endOfInput(harness);

    List<String> expected = new ArrayList<>();
    for (int i = smallOnes - (cap - 1); i < smallOnes; i++) {
      expected.add("s" + (10_000 + i));
    }
    expected.add("big");
    assertThat(eventIds(harness)).containsExactly(expected);
    // Partial matches hold at most the latest cap small ones: 20 times as many small ones do not
    // take twice the state.
    assertThat(stateBytesAtTheEnd).isLessThan(2 * stateBytesAtCap);
    assertStateIsEmpty();
  }

  /** The state of 10,000 cards, each with a complete pattern and a partial one, is all released. */
  @Test
  void stateIsEmptyOnceTheWatermarkPassesEveryPattern() throws Exception {
    Instant start = Fixtures.at("09:00:00");
    for (int card = 0; card < 10_000; card++) {
      String c = "card-" + card;
      Instant t = start.plusMillis(card);
      feed(
          harness,
          txn(c + "-s1", c, "1.00", "DE", TransactionStatus.APPROVED, t),
          txn(c + "-s2", c, "1.00", "DE", TransactionStatus.APPROVED, t.plusSeconds(1)),
          txn(c + "-s3", c, "1.00", "DE", TransactionStatus.APPROVED, t.plusSeconds(2)),
          txn(c + "-big", c, "600.00", "DE", TransactionStatus.APPROVED, t.plusSeconds(3)),
          txn(c + "-s4", c, "1.00", "DE", TransactionStatus.APPROVED, t.plusSeconds(4)));
    }
    assertThat(harness.numKeyedStateEntries()).isPositive();
    // Past every pattern's 10 minutes, but not the end of input: the timeouts must clean up.
    harness.processWatermark(start.plus(Duration.ofMinutes(11)).toEpochMilli());

    assertThat(alerts(harness)).hasSize(10_000);
    assertStateIsEmpty();
  }

  private long stateBytes() throws Exception {
    return harness.snapshot(1L, 1L).getManagedKeyedState().stream()
        .mapToLong(StateObject::getStateSize)
        .sum();
  }

  private void assertStateIsEmpty() {
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }
}
