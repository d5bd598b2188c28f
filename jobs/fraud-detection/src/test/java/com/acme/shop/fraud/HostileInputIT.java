package com.acme.shop.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.fraud.FraudRuns.Detected;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.HostileRecords;
import com.acme.shop.testing.HostileRecords.Hostile;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile records of every kind on both inputs, among valid ones that trigger every rule, on a
 * MiniCluster against a real broker: each becomes exactly one dead letter with its reason, the
 * alerts and late records are those of the valid records alone, and the job finishes without a
 * single restart.
 */
class HostileInputIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static Message txn(String id, String card, String amount, String country, String time) {
    return Message.of(
        card,
        Json.text(
            Fixtures.txn(
                id, card, amount, country, com.acme.shop.model.TransactionStatus.APPROVED, time)));
  }

  static Message login(String id, String user, boolean success, String time) {
    return Message.of(user, Json.text(Fixtures.login(id, user, success, time)));
  }

  /** Card testing, impossible travel and velocity on three cards, and one late transaction. */
  static List<Message> transactions() {
    List<Message> txns = new ArrayList<>();
    txns.add(txn("s1", "c1", "1.00", "DE", "09:00:00"));
    txns.add(txn("s2", "c1", "2.00", "DE", "09:00:10"));
    txns.add(txn("s3", "c1", "3.00", "DE", "09:00:20"));
    txns.add(txn("big", "c1", "900.00", "DE", "09:00:30"));
    txns.add(txn("home", "c2", "50.00", "DE", "09:01:00"));
    txns.add(txn("abroad", "c2", "50.00", "US", "09:05:00"));
    for (int i = 0; i < 11; i++) {
      txns.add(txn("v" + (10 + i), "c3", "20.00", "FR", String.format("09:06:%02d", i)));
    }
    txns.add(txn("after", "c4", "20.00", "FR", "09:10:00"));
    txns.add(txn("late", "c4", "20.00", "FR", "09:02:00"));
    txns.add(txn("last", "c4", "20.00", "FR", "09:20:00"));
    return txns;
  }

  /** An account takeover and one late login. */
  static List<Message> logins() {
    List<Message> logins = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      logins.add(login("f" + i, "u1", false, "09:00:0" + i));
    }
    logins.add(login("ok", "u1", true, "09:00:10"));
    logins.add(login("after", "u2", true, "09:10:00"));
    logins.add(login("late", "u2", true, "09:02:00"));
    logins.add(login("last", "u2", true, "09:20:00"));
    return logins;
  }

  static Map<String, Hostile> hostileTransactions() {
    String good = Json.text(Fixtures.txn("h", "c9", "12.50", "09:00:40"));
    return HostileRecords.around("txn-", good, "cardId", "txnId")
        .with(
            "unknown-enum",
            "unknown TransactionStatus 'pending'",
            json -> json.put("status", "pending"))
        .with(
            "negative-amount",
            "field 'amount' must not be negative",
            json -> json.put("amount", new java.math.BigDecimal("-12.50")))
        .with(
            "absurd-amount",
            "field 'amount' is out of range",
            json -> json.put("amount", new java.math.BigDecimal("1E+20")))
        .with(
            "three-decimals",
            "field 'amount' has more than 2 decimals",
            json -> json.put("amount", new java.math.BigDecimal("12.505")))
        .with(
            "comma-amount",
            "field 'amount' is not a decimal amount",
            json -> json.put("amount", "12,50"))
        .with("boolean-amount", "field 'amount' must be a number", json -> json.put("amount", true))
        .records();
  }

  static Map<String, Hostile> hostileLogins() {
    String good = Json.text(Fixtures.login("h", "u9", true, "09:00:40"));
    return HostileRecords.around("login-", good, "userId", "eventId")
        .with(
            "text-success",
            "field 'success' has an invalid value: maybe",
            json -> json.put("success", "maybe"))
        .records();
  }

  @Test
  void everyHostileRecordBecomesOneDeadLetterAndNothingElseChanges() throws Exception {
    RunTopics clean = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(clean.transactions(), transactions());
    KAFKA.topics().write(clean.logins(), logins());
    FraudRuns.runBounded(FLINK, FraudRuns.params(KAFKA, clean, "--bounded"));

    Map<String, Hostile> hostile = new LinkedHashMap<>(hostileTransactions());
    hostile.putAll(hostileLogins());
    RunTopics dirty = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA
        .topics()
        .write(
            dirty.transactions(), HostileRecords.interleave(transactions(), hostileTransactions()));
    KAFKA.topics().write(dirty.logins(), HostileRecords.interleave(logins(), hostileLogins()));
    FraudRuns.runBounded(FLINK, FraudRuns.params(KAFKA, dirty, "--bounded"));

    List<Detected> cleanAlerts = detected(clean);
    assertThat(cleanAlerts)
        .extracting(Detected::rule)
        .containsOnly("CARD_TESTING", "IMPOSSIBLE_TRAVEL", "VELOCITY", "ACCOUNT_TAKEOVER")
        .contains("CARD_TESTING", "IMPOSSIBLE_TRAVEL", "VELOCITY", "ACCOUNT_TAKEOVER");
    assertThat(detected(dirty)).containsExactlyInAnyOrderElementsOf(cleanAlerts);
    assertThat(keysAndValues(dirty.late()))
        .containsExactlyInAnyOrderElementsOf(keysAndValues(clean.late()));
    assertThat(keysAndValues(clean.late())).hasSize(2);
    assertThat(KAFKA.topics().readAll(clean.dlq())).isEmpty();

    List<DeadLetter> deadLetters =
        KAFKA.topics().readAll(dirty.dlq()).stream()
            .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class))
            .toList();
    assertThat(deadLetters)
        .extracting(DeadLetter::key)
        .containsExactlyInAnyOrderElementsOf(hostile.keySet());
    Map<String, String> reasons =
        deadLetters.stream().collect(Collectors.toMap(DeadLetter::key, DeadLetter::error));
    hostile.forEach((kind, h) -> assertThat(reasons.get(kind)).as(kind).startsWith(h.reason()));
    assertThat(deadLetters)
        .allSatisfy(
            dl ->
                assertThat(dl.sourceTopic())
                    .isEqualTo(
                        dl.key().startsWith("txn-") ? dirty.transactions() : dirty.logins()));
  }

  static List<Detected> detected(RunTopics topics) {
    return FraudRuns.alerts(KAFKA, topics.alerts()).stream().map(Detected::of).toList();
  }

  static List<String> keysAndValues(String topic) {
    return KAFKA.topics().readAll(topic).stream()
        .map((Received r) -> r.key() + " -> " + r.value())
        .toList();
  }
}
