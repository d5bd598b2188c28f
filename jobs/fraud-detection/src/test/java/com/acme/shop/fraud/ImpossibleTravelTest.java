package com.acme.shop.fraud;

import static com.acme.shop.fraud.Fixtures.LATE_TRANSACTIONS;
import static com.acme.shop.fraud.Fixtures.RULES;
import static com.acme.shop.fraud.Fixtures.alerts;
import static com.acme.shop.fraud.Fixtures.at;
import static com.acme.shop.fraud.Fixtures.endOfInput;
import static com.acme.shop.fraud.Fixtures.eventIds;
import static com.acme.shop.fraud.Fixtures.feed;
import static com.acme.shop.fraud.Fixtures.lateTxnIds;
import static com.acme.shop.fraud.Fixtures.watermark;
import static com.acme.shop.model.TransactionStatus.APPROVED;
import static com.acme.shop.model.TransactionStatus.DECLINED;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.AlertSeverity;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IMPOSSIBLE_TRAVEL on the job's own keyed process function. */
class ImpossibleTravelTest {
  KeyedOneInputStreamOperatorTestHarness<String, PaymentTransaction, FraudAlert> harness;

  @BeforeEach
  void start() throws Exception {
    harness =
        Fixtures.harness(
            PaymentTransaction.class, s -> ImpossibleTravel.detect(s, RULES, LATE_TRANSACTIONS));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static PaymentTransaction use(String id, String country, String time) {
    return use(id, country, APPROVED, time);
  }

  static PaymentTransaction use(String id, String country, TransactionStatus status, String time) {
    return Fixtures.txn(id, "c1", "80.00", country, status, time);
  }

  @Test
  void twoCountriesThirtyMinutesApartAlertWithBothAndTheGap() throws Exception {
    feed(harness, use("de", "DE", "09:00:00"), use("us", "US", "09:30:30"));
    endOfInput(harness);

    List<FraudAlert> alerts = alerts(harness);
    assertThat(alerts).hasSize(1);
    FraudAlert alert = alerts.get(0);
    assertThat(alert.rule()).isEqualTo(FraudRule.IMPOSSIBLE_TRAVEL);
    assertThat(alert.severity()).isEqualTo(AlertSeverity.HIGH);
    assertThat(alert.key()).isEqualTo("c1");
    assertThat(alert.eventIds()).containsExactly("de", "us");
    assertThat(alert.firstEventTime()).isEqualTo(at("09:00:00"));
    assertThat(alert.lastEventTime()).isEqualTo(at("09:30:30"));
    assertThat(alert.details())
        .containsAllEntriesOf(Map.of("fromCountry", "DE", "toCountry", "US", "gapMinutes", "30.5"));
    assertStateIsEmpty();
  }

  @Test
  void justUnderSixtyMinutesAlertsAndSixtyOrSixtyOneDoNot() throws Exception {
    feed(
        harness,
        use("a", "DE", "09:00:00"),
        use("b", "FR", "09:59:59.999"),
        use("c", "DE", "10:59:59.999"),
        use("d", "FR", "12:00:59.999"));
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(List.of("a", "b"));
    assertThat(alerts(harness).get(0).details()).containsEntry("gapMinutes", "59.9");
    assertStateIsEmpty();
  }

  @Test
  void theSameCountryIsNoTravel() throws Exception {
    feed(harness, use("a", "DE", "09:00:00"), use("b", "DE", "09:01:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void onlyConsecutiveApprovedTransactionsPair() throws Exception {
    feed(
        harness,
        use("a", "DE", "09:00:00"),
        use("declined", "US", DECLINED, "09:05:00"),
        use("b", "DE", "09:10:00"),
        use("c", "FR", "09:20:00"),
        use("d", "FR", "09:25:00"),
        use("e", "DE", "09:30:00"));
    endOfInput(harness);

    // (a, b) share a country; the declined one is no travel; then FR after DE and DE after FR.
    assertThat(eventIds(harness)).containsExactly(List.of("b", "c"), List.of("d", "e"));
  }

  @Test
  void outOfOrderArrivalWithinTheBoundGivesTheSamePairs() throws Exception {
    feed(
        harness,
        use("c", "FR", "09:20:00"),
        use("a", "DE", "09:00:00"),
        use("e", "DE", "09:30:00"),
        use("b", "DE", "09:10:00"),
        use("d", "FR", "09:25:00"));
    watermark(harness, "09:30:00");

    assertThat(eventIds(harness)).containsExactly(List.of("b", "c"), List.of("d", "e"));
  }

  @Test
  void transactionsOfTheSameMillisecondTakeTheirTurnByTxnId() throws Exception {
    feed(
        harness,
        use("t2", "FR", "09:00:00"),
        use("t1", "DE", "09:00:00"),
        use("t3", "DE", "09:00:00"));
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(List.of("t1", "t2"), List.of("t2", "t3"));
    assertThat(alerts(harness).get(0).details()).containsEntry("gapMinutes", "0.0");
  }

  @Test
  void aTransactionAtOrBehindTheWatermarkGoesToTheLateTopic() throws Exception {
    feed(harness, use("a", "DE", "09:00:00"));
    watermark(harness, "09:10:00");
    feed(harness, use("late", "FR", "09:10:00"), use("b", "DE", "09:15:00"));
    endOfInput(harness);

    assertThat(lateTxnIds(harness)).containsExactly("late");
    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void aCardForgetsItsLastTransactionOnceNothingCanPairWithIt() throws Exception {
    feed(harness, use("a", "DE", "09:00:00"));
    watermark(harness, "09:00:00");
    assertThat(harness.numKeyedStateEntries()).isPositive();

    watermark(harness, "10:00:00");
    assertStateIsEmpty();
  }

  @Test
  void aBusyCardHoldsOneCleanupTimerNotOnePerTransaction() throws Exception {
    Instant start = at("09:00:00");
    for (int i = 0; i < 50; i++) {
      feed(
          harness,
          Fixtures.txn("t" + (10 + i), "c1", "5.00", "DE", APPROVED, start.plusSeconds(60L * i)));
    }
    harness.processWatermark(start.plusSeconds(60L * 49).toEpochMilli());
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(
        start.plusSeconds(60L * 49).plus(Duration.ofMinutes(60)).toEpochMilli());
    assertStateIsEmpty();
  }

  @Test
  void stateIsEmptyOnceTheWatermarkPassesTheGap() throws Exception {
    Instant start = at("09:00:00");
    for (int card = 0; card < 10_000; card++) {
      String c = "card-" + card;
      Instant t = start.plusMillis(card);
      feed(
          harness,
          Fixtures.txn(c + "-1", c, "50.00", "DE", APPROVED, t),
          Fixtures.txn(c + "-2", c, "50.00", "FR", APPROVED, t.plusSeconds(60)),
          Fixtures.txn(c + "-3", c, "50.00", "FR", DECLINED, t.plusSeconds(90)));
    }
    harness.processWatermark(start.plus(Duration.ofMinutes(30)).toEpochMilli());
    assertThat(alerts(harness)).hasSize(10_000);
    assertThat(harness.numKeyedStateEntries()).isPositive();

    harness.processWatermark(start.plus(Duration.ofMinutes(62)).toEpochMilli());
    assertStateIsEmpty();
  }

  private void assertStateIsEmpty() {
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }
}
