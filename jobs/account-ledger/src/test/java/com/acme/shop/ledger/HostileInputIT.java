package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison among valid commands, and a damaged event store, in one bounded run on a MiniCluster
 * against a real broker: each poison command lands once in {@code dlq.account-ledger} with its
 * reason, a late command in {@code late.account-ledger}, each bad record, gap and duplicate of the
 * event store once in the dead-letter topic too, the valid commands give exactly their events, and
 * the job finishes without a restart, with everything it wrote committed.
 */
class HostileInputIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

  static String command(String id, String account, String type, String amount, String time) {
    return """
        {"commandId":"%s","accountId":"%s","type":"%s","amount":%s,"owner":%s,\
        "eventTime":"2026-11-23T%sZ"}"""
        .formatted(
            id,
            account,
            type,
            amount == null ? "null" : amount,
            type.equals("OpenAccount") ? "\"Ada\"" : "null",
            time);
  }

  static final String GOOD = command("g", "a", "Deposit", "10.00", "10:00:05.000");

  /** Each poison command, keyed by its kind, with the start of its dead letter's reason. */
  static final Map<String, String> POISON = new LinkedHashMap<>();

  static final Map<String, String> POISON_VALUES = new LinkedHashMap<>();

  static void poison(String kind, String value, String reason) {
    POISON.put(kind, reason);
    POISON_VALUES.put(kind, value);
  }

  static {
    poison("not-json", "deposit 10 please", "not valid JSON");
    poison("json-null", "null", "value is JSON null");
    poison(
        "unknown-type",
        GOOD.replace("Deposit", "Transfer"),
        "unknown AccountCommandType 'Transfer'");
    poison(
        "negative-amount",
        GOOD.replace("10.00", "-10.00"),
        "field 'amount' must not be negative: -10.00");
    poison(
        "non-numeric-amount",
        GOOD.replace("10.00", "\"ten\""),
        "field 'amount' is not a decimal amount: ten");
    poison(
        "amount-wrong-type",
        GOOD.replace("10.00", "{\"eur\":10}"),
        "field 'amount' must be a number");
    poison(
        "three-decimals",
        GOOD.replace("10.00", "10.005"),
        "field 'amount' has more than 2 decimals");
    poison(
        "missing-command-id",
        GOOD.replace("\"commandId\":\"g\",", ""),
        "missing required field 'commandId'");
    poison(
        "missing-account-id",
        GOOD.replace("\"accountId\":\"a\",", ""),
        "missing required field 'accountId'");
    poison(
        "blank-account-id",
        GOOD.replace("\"accountId\":\"a\"", "\"accountId\":\"  \""),
        "field 'accountId' must not be blank");
    poison(
        "deposit-without-amount",
        GOOD.replace("\"amount\":10.00", "\"amount\":null"),
        "missing required field 'amount'");
    poison(
        "id-wrong-type",
        GOOD.replace("\"commandId\":\"g\"", "\"commandId\":[1]"),
        "field 'commandId' has the wrong type");
  }

  static final List<Message> VALID =
      List.of(
          Message.of("a", command("c1", "a", "OpenAccount", null, "10:00:00.000")),
          Message.of("a", command("c2", "a", "Deposit", "100.00", "10:00:01.000")),
          Message.of("a", command("c3", "a", "Withdraw", "30.00", "10:00:02.000")),
          Message.of("a", command("c2", "a", "Deposit", "100.00", "10:00:01.000")), // a retry
          Message.of("b", command("c4", "b", "Withdraw", "1.00", "10:00:03.000")),
          Message.of("a", command("c5", "a", "Deposit", "5.00", "10:05:00.000")));

  /** After 10:05: the watermark of the one partition is past 10:04:55, so this is late. */
  static final Message LATE =
      Message.of("a", command("c6", "a", "Deposit", "7.00", "10:00:30.000"));

  static String event(String account, long sequence, String type, String amount) {
    return """
        {"eventId":"%s#%d","accountId":"%s","sequence":%d,"type":"%s","amount":%s,"owner":%s,\
        "commandId":"old-%d","eventTime":"2026-11-22T08:00:0%dZ"}"""
        .formatted(
            account,
            sequence,
            account,
            sequence,
            type,
            amount == null ? "null" : amount,
            type.equals("AccountOpened") ? "\"Zed\"" : "null",
            sequence,
            sequence);
  }

  /** A damaged store, written before the run by some other writer. */
  static final List<Message> STORE =
      List.of(
          Message.of("z", event("z", 1, "AccountOpened", null)),
          Message.of("z", event("z", 2, "MoneyWithdrawn", "5.00")), // below zero
          Message.of("z", event("z", 1, "AccountOpened", null)), // a duplicate
          Message.of("z", event("z", 3, "MoneyDeposited", "1.00")), // after a gap
          Message.of("z", "{\"eventId\":"),
          Message.of("z", event("z", 0, "MoneyDeposited", "1.00")));

  @Test
  void poisonAndADamagedEventStoreAreRoutedOnceEachAndTheValidCommandsApplyExactly()
      throws Exception {
    TopicIO io = KAFKA.topics();
    // One partition each: the order of the records, and so the watermark, is fixed.
    LedgerTopics topics = LedgerTopics.unique().create(io, 1);
    io.write(topics.events(), STORE);
    List<Message> commands = new java.util.ArrayList<>();
    List<String> kinds = List.copyOf(POISON.keySet());
    for (int i = 0; i < Math.max(VALID.size(), kinds.size()); i++) {
      if (i < VALID.size()) {
        commands.add(VALID.get(i));
      }
      if (i < kinds.size()) {
        commands.add(Message.of(kinds.get(i), POISON_VALUES.get(kinds.get(i))));
      }
    }
    commands.add(LATE);
    io.write(topics.commands(), commands);

    JobParameters params = Ledger.params(KAFKA, topics, TopicIO.unique("ledger"), "--bounded");
    runBounded(params);

    List<DeadLetter> deadLetters =
        io.readAll(topics.dlq()).stream()
            .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class))
            .toList();
    Map<String, List<DeadLetter>> bySource =
        deadLetters.stream().collect(Collectors.groupingBy(DeadLetter::sourceTopic));
    List<DeadLetter> badCommands = bySource.get(topics.commands());
    assertThat(badCommands).extracting(DeadLetter::key).containsExactlyInAnyOrderElementsOf(kinds);
    Map<String, String> reasons =
        badCommands.stream().collect(Collectors.toMap(DeadLetter::key, DeadLetter::error));
    POISON.forEach((kind, reason) -> assertThat(reasons.get(kind)).as(kind).startsWith(reason));

    assertThat(bySource.get(topics.events()))
        .extracting(DeadLetter::error)
        .satisfiesExactlyInAnyOrder(
            e -> assertThat(e).startsWith("not valid JSON"),
            e -> assertThat(e).isEqualTo("field 'sequence' must be at least 1: 0"),
            e ->
                assertThat(e)
                    .isEqualTo(
                        "event 2 cannot be applied to account z: withdrawal of 5.00 exceeds the"
                            + " balance 0.00; not applied"),
            e ->
                assertThat(e)
                    .isEqualTo(
                        "duplicate sequence 1 of account z: version 1 is applied already; not"
                            + " applied again"),
            e ->
                assertThat(e)
                    .isEqualTo(
                        "sequence gap in account z: expected sequence 2, got 3; not applied"));
    assertThat(bySource.keySet()).containsOnly(topics.commands(), topics.events());

    List<Received> late = io.readAll(topics.late());
    assertThat(late)
        .extracting(Received::key, Received::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(LATE.key(), LATE.value()));

    // The valid commands, the retry applied once; the late one not at all.
    List<Received> appended =
        io.readAll(topics.events()).subList(STORE.size(), io.readAll(topics.events()).size());
    assertThat(
            appended.stream()
                .map(r -> Ledger.event(Ledger.tree(r.value())))
                .map(
                    e ->
                        e.accountId()
                            + " "
                            + e.sequence()
                            + " "
                            + e.type()
                            + " "
                            + e.amount()
                            + " "
                            + e.commandId()))
        .containsExactly(
            "a 1 AccountOpened null c1",
            "a 2 MoneyDeposited 100.00 c2",
            "a 3 MoneyWithdrawn 30.00 c3",
            "a 4 MoneyDeposited 5.00 c5");
    assertThat(Ledger.rejections(KAFKA, topics.rejections()))
        .containsExactly(
            new ExpectedLedger.Rejection(
                "c4", "b", "NO_SUCH_ACCOUNT", Instant.parse("2026-11-23T10:00:03Z")));
    // A bounded run projects the store as it stood at the start: account z, at its one
    // consistent version; the events this run appended are the next run's to project.
    assertThat(Ledger.balances(KAFKA, topics.balances()))
        .isEqualTo(
            Map.of(
                "z",
                new ExpectedLedger.Balance(
                    "z",
                    "Zed",
                    new BigDecimal("0.00"),
                    "OPEN",
                    1,
                    Instant.parse("2026-11-22T08:00:01Z"))));

    // Everything committed: the input's offsets at its end, no transaction left open.
    assertThat(io.committedOffsets(params.runName(), topics.commands()))
        .isEqualTo(io.endOffsets(topics.commands()));
    assertThat(io.openTransactions(params.runName() + ".")).isEmpty();
  }

  /** Runs the job bounded to its end, failing at its first restart rather than looping on. */
  static void runBounded(JobParameters params) throws Exception {
    JobRestarts.awaitFinishedWithoutFailure(FLINK, Ledger.start(params), JOB_TIMEOUT);
  }
}
