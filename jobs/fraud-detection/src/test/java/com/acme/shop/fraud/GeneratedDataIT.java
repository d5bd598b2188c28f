package com.acme.shop.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.datagen.DataGenJob;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.fraud.FraudRuns.Detected;
import com.acme.shop.json.Json;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * datagen → Kafka → fraud-detection, both on the MiniCluster against a real broker, with planted
 * patterns and near misses of every rule. The alerts are expected as computed here, plainly and
 * independently, from what datagen actually wrote: a bounded run's final watermark completes every
 * window and pattern, so each rule is simply its definition over all valid events.
 */
class GeneratedDataIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final int CAP = 100;

  @Test
  void everyRuleAlertsExactlyOnItsDefinitionAndAReplayWritesTheSameAlerts() throws Exception {
    RunTopics topics = RunTopics.unique().create(KAFKA.topics(), 4, 2);
    generate(topics, 20_000);

    FraudRuns.runBounded(FLINK, FraudRuns.params(KAFKA, topics, "--bounded"));

    List<Received> txnRecords = KAFKA.topics().readAll(topics.transactions());
    List<Received> loginRecords = KAFKA.topics().readAll(topics.logins());
    assertThat(txnRecords).hasSize(20_000);
    assertThat(loginRecords).hasSize(20_000);
    List<PaymentTransaction> txns = valid(txnRecords, PaymentTransaction.class);
    List<LoginEvent> logins = valid(loginRecords, LoginEvent.class);
    int invalid = txnRecords.size() - txns.size() + loginRecords.size() - logins.size();
    assertThat(invalid).isBetween(200, 600);

    List<Detected> expected = new ArrayList<>();
    expected.addAll(cardTesting(txns));
    expected.addAll(velocity(txns));
    expected.addAll(impossibleTravel(txns));
    expected.addAll(accountTakeover(logins));
    Map<String, Long> perRule =
        expected.stream()
            .collect(Collectors.groupingBy(Detected::rule, TreeMap::new, Collectors.counting()));
    System.out.println("Expected alerts per rule: " + perRule);
    assertThat(perRule.keySet())
        .containsExactly("ACCOUNT_TAKEOVER", "CARD_TESTING", "IMPOSSIBLE_TRAVEL", "VELOCITY");
    assertThat(perRule.values()).allSatisfy(n -> assertThat(n).isGreaterThan(20));

    List<FraudAlert> alerts = FraudRuns.alerts(KAFKA, topics.alerts());
    List<Detected> detected = alerts.stream().map(Detected::of).toList();
    assertThat(detected.stream().map(Detected::withoutId).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(detected).extracting(Detected::alertId).doesNotHaveDuplicates();
    // Planted near misses never alert on a payment rule.
    assertThat(alerts).filteredOn(a -> a.key().startsWith("nm-")).isEmpty();

    assertThat(KAFKA.topics().readAll(topics.dlq())).hasSize(invalid);
    assertThat(KAFKA.topics().readAll(topics.late())).isEmpty();

    // A replay of the same input writes the same alerts under the same ids.
    RunTopics replay = topics.replay().createOutputs(KAFKA.topics(), 2);
    FraudRuns.runBounded(FLINK, FraudRuns.params(KAFKA, replay, "--bounded"));
    assertThat(FraudRuns.alerts(KAFKA, replay.alerts()).stream().map(Detected::of).toList())
        .containsExactlyInAnyOrderElementsOf(detected);
  }

  /** datagen's transactions and logins, {@code count} each, 100 ms of event time apart. */
  static void generate(RunTopics topics, int count) throws Exception {
    JobParameters gen =
        DataGenJob.parameters(
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topics", "transactions,logins",
                "--topic.transactions", topics.transactions(),
                "--topic.logins", topics.logins(),
                "--count", Integer.toString(count),
                "--rate", "0",
                "--time-step", "100ms",
                "--seed", "16",
                "--start-time", "2026-11-23T09:00:00Z",
                "--fraud-share", "0.2",
                "--bad-share", "0.01",
                "--checkpoint-interval", "500ms",
                "--job-name", TopicIO.unique("datagen"))
            .orElseThrow();
    // "Now" only has to be after --start-time, which datagen checks; the data never depends on it.
    JobEnvironment.run(
        Optional.of(gen), DataGenJob.topology(Instant.parse("2026-11-24T00:00:00Z")));
  }

  static <T> List<T> valid(List<Received> records, Class<T> type) {
    List<T> valid = new ArrayList<>();
    for (Received r : records) {
      try {
        valid.add(Json.parse(r.value().getBytes(StandardCharsets.UTF_8), type));
      } catch (IllegalArgumentException | NullPointerException e) {
        // a planted bad record
      }
    }
    return valid;
  }

  static final Comparator<PaymentTransaction> TXN_ORDER =
      Comparator.comparing(PaymentTransaction::eventTime).thenComparing(PaymentTransaction::txnId);

  static Map<String, List<PaymentTransaction>> byCard(List<PaymentTransaction> txns) {
    Map<String, List<PaymentTransaction>> byCard = new HashMap<>();
    txns.stream()
        .sorted(TXN_ORDER)
        .forEach(t -> byCard.computeIfAbsent(t.cardId(), c -> new ArrayList<>()).add(t));
    return byCard;
  }

  static long ms(Instant t) {
    return t.toEpochMilli();
  }

  static Detected alert(
      String rule,
      String key,
      List<String> ids,
      Instant first,
      Instant last,
      Map<String, String> details) {
    Map<String, String> all = new HashMap<>(details);
    all.putIfAbsent("eventCount", Integer.toString(ids.size()));
    return new Detected(null, rule, key, ids, first.toString(), last.toString(), all);
  }

  /** Each large one with at least 3 small ones less than 10 min before it; the latest 99 listed. */
  static List<Detected> cardTesting(List<PaymentTransaction> txns) {
    List<Detected> alerts = new ArrayList<>();
    byCard(txns)
        .forEach(
            (card, list) -> {
              for (int i = 0; i < list.size(); i++) {
                PaymentTransaction large = list.get(i);
                if (large.amount().compareTo(new BigDecimal("500.00")) < 0) {
                  continue;
                }
                List<PaymentTransaction> small = new ArrayList<>();
                for (PaymentTransaction t : list.subList(0, i)) {
                  if (t.amount().compareTo(new BigDecimal("5.00")) < 0
                      && ms(large.eventTime()) - ms(t.eventTime())
                          < Duration.ofMinutes(10).toMillis()) {
                    small.add(t);
                  }
                }
                if (small.size() < 3) {
                  continue;
                }
                small = small.subList(Math.max(0, small.size() - (CAP - 1)), small.size());
                List<String> ids =
                    new ArrayList<>(small.stream().map(PaymentTransaction::txnId).toList());
                ids.add(large.txnId());
                alerts.add(
                    alert(
                        "CARD_TESTING",
                        card,
                        ids,
                        small.get(0).eventTime(),
                        large.eventTime(),
                        Map.of(
                            "smallTransactions", Integer.toString(small.size()),
                            "largeAmount", large.amount().toPlainString())));
              }
            });
    return alerts;
  }

  /** Every aligned 60 s window, every 10 s, holding more than 10 transactions of a card. */
  static List<Detected> velocity(List<PaymentTransaction> txns) {
    long window = 60_000;
    long slide = 10_000;
    Map<String, List<PaymentTransaction>> windows = new TreeMap<>();
    for (PaymentTransaction t : txns) {
      long ts = ms(t.eventTime());
      for (long start = ts - Math.floorMod(ts, slide); start > ts - window; start -= slide) {
        windows.computeIfAbsent(t.cardId() + "|" + start, k -> new ArrayList<>()).add(t);
      }
    }
    List<Detected> alerts = new ArrayList<>();
    windows.forEach(
        (key, in) -> {
          if (in.size() <= 10) {
            return;
          }
          in.sort(TXN_ORDER);
          long start = Long.parseLong(key.substring(key.indexOf('|') + 1));
          List<String> ids = in.stream().map(PaymentTransaction::txnId).toList();
          alerts.add(
              alert(
                  "VELOCITY",
                  key.substring(0, key.indexOf('|')),
                  ids,
                  in.get(0).eventTime(),
                  in.get(in.size() - 1).eventTime(),
                  Map.of(
                      "windowStart", Json.formatInstant(Instant.ofEpochMilli(start)),
                      "windowEnd", Json.formatInstant(Instant.ofEpochMilli(start + window)),
                      "count", Integer.toString(in.size()),
                      "eventCount", Integer.toString(in.size()))));
        });
    return alerts;
  }

  /** Consecutive approved transactions of a card from two countries less than 60 min apart. */
  static List<Detected> impossibleTravel(List<PaymentTransaction> txns) {
    List<Detected> alerts = new ArrayList<>();
    byCard(txns)
        .forEach(
            (card, list) -> {
              List<PaymentTransaction> approved =
                  list.stream().filter(t -> t.status() == TransactionStatus.APPROVED).toList();
              for (int i = 1; i < approved.size(); i++) {
                PaymentTransaction a = approved.get(i - 1);
                PaymentTransaction b = approved.get(i);
                long gap = ms(b.eventTime()) - ms(a.eventTime());
                if (!a.country().equals(b.country()) && gap < Duration.ofMinutes(60).toMillis()) {
                  alerts.add(
                      alert(
                          "IMPOSSIBLE_TRAVEL",
                          card,
                          List.of(a.txnId(), b.txnId()),
                          a.eventTime(),
                          b.eventTime(),
                          Map.of(
                              "fromCountry", a.country(),
                              "toCountry", b.country(),
                              "gapMinutes",
                                  BigDecimal.valueOf(gap)
                                      .divide(BigDecimal.valueOf(60_000), 1, RoundingMode.DOWN)
                                      .toPlainString())));
                }
              }
            });
    return alerts;
  }

  /** A success right after at least 5 failures of the 10 min before it; the latest 99 listed. */
  static List<Detected> accountTakeover(List<LoginEvent> logins) {
    Map<String, List<LoginEvent>> byUser = new HashMap<>();
    logins.stream()
        .sorted(Comparator.comparing(LoginEvent::eventTime).thenComparing(LoginEvent::eventId))
        .forEach(l -> byUser.computeIfAbsent(l.userId(), u -> new ArrayList<>()).add(l));
    List<Detected> alerts = new ArrayList<>();
    byUser.forEach(
        (user, list) -> {
          for (int i = 0; i < list.size(); i++) {
            LoginEvent success = list.get(i);
            if (!success.success()) {
              continue;
            }
            List<LoginEvent> failures = new ArrayList<>();
            for (int j = i - 1; j >= 0 && !list.get(j).success(); j--) {
              if (ms(success.eventTime()) - ms(list.get(j).eventTime())
                  >= Duration.ofMinutes(10).toMillis()) {
                break;
              }
              failures.add(0, list.get(j));
            }
            if (failures.size() < 5) {
              continue;
            }
            failures = failures.subList(Math.max(0, failures.size() - (CAP - 1)), failures.size());
            List<String> ids = new ArrayList<>(failures.stream().map(LoginEvent::eventId).toList());
            ids.add(success.eventId());
            alerts.add(
                alert(
                    "ACCOUNT_TAKEOVER",
                    user,
                    ids,
                    failures.get(0).eventTime(),
                    success.eventTime(),
                    Map.of(
                        "failedLogins", Integer.toString(failures.size()),
                        "ip", success.ip(),
                        "country", success.country(),
                        "deviceId", success.deviceId())));
          }
        });
    return alerts;
  }
}
