package com.acme.shop.fraud;

import static com.acme.shop.fraud.Fixtures.LATE_TRANSACTIONS;
import static com.acme.shop.fraud.Fixtures.RULES;
import static com.acme.shop.fraud.Fixtures.alerts;
import static com.acme.shop.fraud.Fixtures.at;
import static com.acme.shop.fraud.Fixtures.endOfInput;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VELOCITY on the job's own sliced-window operator. */
class VelocityTest {
  KeyedOneInputStreamOperatorTestHarness<String, PaymentTransaction, FraudAlert> harness;

  @BeforeEach
  void start() throws Exception {
    harness =
        Fixtures.harness(
            PaymentTransaction.class, s -> Velocity.detect(s, RULES, LATE_TRANSACTIONS));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** {@code n} transactions of {@code card} from {@code first}, {@code stepMs} apart. */
  static List<PaymentTransaction> burst(String card, int n, String first, long stepMs) {
    List<PaymentTransaction> txns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      txns.add(txn(card + "-" + (100 + i), card, "20.00", at(first).plusMillis(stepMs * i)));
    }
    return txns;
  }

  void feedAll(List<PaymentTransaction> txns) throws Exception {
    feed(harness, txns.toArray(PaymentTransaction[]::new));
  }

  static String window(FraudAlert a) {
    return a.details().get("windowStart").substring(11)
        + "-"
        + a.details().get("windowEnd").substring(11);
  }

  @Test
  void elevenTransactionsInTenSecondsAlertInEachOfTheSixWindowsHoldingThem() throws Exception {
    List<PaymentTransaction> txns = burst("c1", 11, "09:00:00", 500);
    feedAll(txns);
    endOfInput(harness);

    List<FraudAlert> alerts = alerts(harness);
    assertThat(alerts)
        .extracting(VelocityTest::window)
        .containsExactly(
            "08:59:10.000Z-09:00:10.000Z",
            "08:59:20.000Z-09:00:20.000Z",
            "08:59:30.000Z-09:00:30.000Z",
            "08:59:40.000Z-09:00:40.000Z",
            "08:59:50.000Z-09:00:50.000Z",
            "09:00:00.000Z-09:01:00.000Z");
    FraudAlert first = alerts.get(0);
    assertThat(first.rule()).isEqualTo(FraudRule.VELOCITY);
    assertThat(first.severity()).isEqualTo(AlertSeverity.MEDIUM);
    assertThat(first.key()).isEqualTo("c1");
    assertThat(first.eventIds()).isEqualTo(txns.stream().map(PaymentTransaction::txnId).toList());
    assertThat(first.details()).containsEntry("count", "11");
    assertThat(first.firstEventTime()).isEqualTo(at("09:00:00"));
    assertThat(first.lastEventTime()).isEqualTo(at("09:00:05"));
    assertThat(alerts).extracting(FraudAlert::alertId).doesNotHaveDuplicates();
    assertStateIsEmpty();
  }

  @Test
  void exactlyTenInSixtySecondsIsANearMiss() throws Exception {
    feedAll(burst("c1", 10, "09:00:00", 5_000));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
    assertStateIsEmpty();
  }

  @Test
  void elevenSpreadOverMoreThanOneWindowAreNoAlert() throws Exception {
    // 11 transactions 6 s apart span 60 s: no aligned 60 s window holds all of them.
    feedAll(burst("c1", 11, "09:00:00", 6_000));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void anyStatusCounts() throws Exception {
    List<PaymentTransaction> txns = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      txns.add(
          txn(
              "t" + (10 + i),
              "c1",
              "20.00",
              "DE",
              TransactionStatus.DECLINED,
              at("09:00:00").plusSeconds(i)));
    }
    feedAll(txns);
    endOfInput(harness);

    assertThat(alerts(harness)).isNotEmpty();
  }

  @Test
  void aWindowFiresWhenTheWatermarkPassesItsEnd() throws Exception {
    feedAll(burst("c1", 11, "09:00:00", 100));
    watermark(harness, "09:00:09.998");
    assertThat(alerts(harness)).isEmpty();

    watermark(harness, "09:00:09.999");
    assertThat(alerts(harness))
        .extracting(VelocityTest::window)
        .containsExactly("08:59:10.000Z-09:00:10.000Z");
  }

  @Test
  void outOfOrderArrivalWithinTheBoundCountsTheSame() throws Exception {
    List<PaymentTransaction> txns = new ArrayList<>(burst("c1", 11, "09:00:00", 500));
    java.util.Collections.reverse(txns);
    feedAll(txns);
    endOfInput(harness);

    assertThat(alerts(harness)).hasSize(6);
    assertThat(alerts(harness).get(0).eventIds()).isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void aTransactionAtOrBehindTheWatermarkGoesToTheLateTopic() throws Exception {
    List<PaymentTransaction> txns = burst("c1", 11, "09:00:00", 500);
    feedAll(txns.subList(0, 10));
    watermark(harness, "09:00:05");
    feedAll(txns.subList(10, 11));
    endOfInput(harness);

    assertThat(lateTxnIds(harness)).containsExactly(txns.get(10).txnId());
    assertThat(alerts(harness)).isEmpty();
  }

  /**
   * Random traffic of a few busy cards against a brute force: every aligned 60 s window that holds
   * more than 10 of a card's transactions, and no other.
   */
  @Test
  void matchesEveryWindowABruteForceCountFinds() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    Instant start = at("09:00:00");
    List<PaymentTransaction> txns = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String card = "c" + random.nextInt(5);
      Instant t = start.plusMillis(random.nextLong(600_000));
      txns.add(txn("t" + (100_000 + i), card, "10.00", t));
    }
    txns.sort(Comparator.comparing(PaymentTransaction::eventTime));

    Map<String, Integer> expected = new TreeMap<>();
    long window = 60_000;
    long slide = 10_000;
    for (PaymentTransaction t : txns) {
      long ts = t.eventTime().toEpochMilli();
      long lastStart = ts - Math.floorMod(ts, slide);
      for (long ws = lastStart; ws > ts - window; ws -= slide) {
        expected.merge(t.cardId() + "@" + Instant.ofEpochMilli(ws), 1, Integer::sum);
      }
    }
    expected.values().removeIf(count -> count <= 10);

    feedAll(txns);
    endOfInput(harness);

    Map<String, Integer> actual = new TreeMap<>();
    for (FraudAlert a : alerts(harness)) {
      String key = a.key() + "@" + Instant.parse(a.details().get("windowStart"));
      assertThat(actual.put(key, Integer.parseInt(a.details().get("count")))).isNull();
      int count = Integer.parseInt(a.details().get("count"));
      assertThat(a.eventIds()).hasSize(Math.min(count, RULES.maxAlertEventIds()));
    }
    assertThat(expected).isNotEmpty();
    assertThat(actual).isEqualTo(expected);
    assertStateIsEmpty();
  }

  @Test
  void aFloodOnOneCardListsTheFirstIdsAndTheLastWithTheFullCount() throws Exception {
    int cap = RULES.maxAlertEventIds();
    List<PaymentTransaction> txns = burst("c1", 3 * cap, "09:00:00", 1);
    feedAll(txns);
    endOfInput(harness);

    FraudAlert alert = alerts(harness).get(0);
    assertThat(alert.details()).containsEntry("count", Integer.toString(3 * cap));
    assertThat(alert.eventIds()).hasSize(cap);
    assertThat(alert.eventIds().get(0)).isEqualTo(txns.get(0).txnId());
    assertThat(alert.eventIds().get(cap - 1)).isEqualTo(txns.get(3 * cap - 1).txnId());
    assertThat(alert.lastEventTime()).isEqualTo(txns.get(3 * cap - 1).eventTime());
  }

  @Test
  void aCardUnderTheThresholdHoldsOneTimerNotOnePerWindow() throws Exception {
    feedAll(burst("c1", 10, "09:00:00", 15_000));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    endOfInput(harness);
    assertThat(alerts(harness)).isEmpty();
    assertStateIsEmpty();
  }

  @Test
  void stateIsEmptyOnceTheWatermarkPassesEveryWindow() throws Exception {
    Instant start = at("09:00:00");
    for (int card = 0; card < 10_000; card++) {
      String c = "card-" + card;
      for (int i = 0; i < 12; i++) {
        feed(harness, txn(c + "-" + i, c, "10.00", start.plusMillis(card + 100L * i)));
      }
    }
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processWatermark(start.plusSeconds(71).toEpochMilli());

    assertThat(alerts(harness)).isNotEmpty();
    assertStateIsEmpty();
  }

  private void assertStateIsEmpty() {
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }
}
