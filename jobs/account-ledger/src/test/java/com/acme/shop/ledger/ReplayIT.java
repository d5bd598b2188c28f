package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.Postgres;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time travel: the balances rebuilt from an event store as they stood at three instants, each
 * compared with the balances this test folds from the event list itself. The store is written by
 * the test, from the events {@link ExpectedLedger} derives from generated commands (whose times are
 * out of order by up to 2 s within an account), plus a record that is not an event and a duplicate.
 * A replay processes no command and writes nothing but balances.
 */
class ReplayIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @TempDir static Path dir;
  static Postgres pg;
  static Path jdbcProperties;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Postgres.start(dir.resolve("pg"));
    jdbcProperties = Files.writeString(dir.resolve("read-models.properties"), "password=shop");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  static String json(ExpectedLedger.Event e) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("eventId", e.accountId() + "#" + e.sequence());
    fields.put("accountId", e.accountId());
    fields.put("sequence", e.sequence());
    fields.put("type", e.type());
    fields.put("amount", e.amount());
    fields.put("owner", e.owner());
    fields.put("commandId", e.commandId());
    fields.put("eventTime", Json.formatInstant(e.eventTime()));
    return Json.text(fields);
  }

  @Test
  void balancesAtThreeInstantsAreThoseFoldedFromTheEventList() throws Exception {
    TopicIO io = KAFKA.topics();
    LedgerTopics topics = LedgerTopics.unique().create(io, 4);
    List<Message> commands = Ledger.generatedCommands(5, 0, 3_000, 0);
    ExpectedLedger ledger = ExpectedLedger.of(Ledger.validCommands(commands));

    List<ExpectedLedger.Event> store = new ArrayList<>(ledger.events);
    ExpectedLedger.Event duplicate = store.get(store.size() / 2);
    store.add(duplicate);
    List<Message> records = new ArrayList<>();
    store.forEach(e -> records.add(Message.of(e.accountId(), json(e))));
    records.add(records.size() / 3, Message.of(duplicate.accountId(), "not an event"));
    io.write(topics.events(), records);
    // Commands too, which a replay must leave alone.
    io.write(topics.commands(), commands);

    Instant end = store.stream().map(ExpectedLedger.Event::eventTime).max(Instant::compareTo).get();
    // One instant between two events of an account whose times are out of order: there the
    // prefix rule matters, counting every event up to the instant, holes and all, would differ.
    Instant betweenInversion = inversion(store);
    List<Instant> instants =
        List.of(
            betweenInversion,
            Ledger.START.plus(Duration.ofMinutes(3)).plusMillis(13_700),
            end.plusSeconds(1));
    assertThat(naiveBalancesAt(store, betweenInversion))
        .isNotEqualTo(ExpectedLedger.balancesAt(store, betweenInversion));

    for (int i = 0; i < instants.size(); i++) {
      Instant instant = instants.get(i);
      LedgerTopics replay = topics.withFreshBalances(io, 4);
      // The balances at the instant also go into a table of their own: one SQL query away.
      String table = "balances_at_" + i;
      JobParameters params =
          Ledger.params(
              KAFKA,
              replay,
              TopicIO.unique("ledger-replay"),
              "--replay-until",
              instant.toString(),
              "--bounded",
              "true",
              "--starting-offsets",
              "earliest",
              "--read-model-jdbc-url",
              pg.shopUrl(),
              "--read-model-jdbc-properties",
              jdbcProperties.toString(),
              "--read-model-balances-table",
              table);
      JobClient job = Ledger.start(params);
      job.getJobExecutionResult().get();
      assertThat(JobRestarts.of(FLINK, job.getJobID())).isZero();

      Map<String, ExpectedLedger.Balance> expected = ExpectedLedger.balancesAt(store, instant);
      assertThat(expected).as("accounts at %s", instant).hasSizeGreaterThan(5);
      assertThat(Ledger.balances(KAFKA, replay.balances()))
          .as("at %s", instant)
          .isEqualTo(expected);
      assertThat(Ledger.balancesTable(pg, table)).as("read_models.%s", table).isEqualTo(expected);
      assertThat(io.openTransactions(params.runName() + ".")).isEmpty();
    }
    // After the last event, time travel is the live read model's final state, and so is a
    // rebuild of the whole store.
    assertThat(ExpectedLedger.balancesAt(store, instants.get(2))).isEqualTo(ledger.balances);
    LedgerTopics rebuild = topics.withFreshBalances(io, 4);
    JobClient job =
        Ledger.start(
            Ledger.params(
                KAFKA, rebuild, TopicIO.unique("ledger-rebuild"), "--replay", "--bounded"));
    job.getJobExecutionResult().get();
    assertThat(Ledger.balances(KAFKA, rebuild.balances())).isEqualTo(ledger.balances);

    // Nothing but balances was written: no event appended, no command decided, no dead letter.
    assertThat(io.readAll(topics.events())).hasSize(records.size());
    assertThat(io.readAll(topics.rejections())).isEmpty();
    assertThat(io.readAll(topics.dlq())).isEmpty();
    assertThat(io.readAll(topics.late())).isEmpty();
    assertThat(io.readAll(topics.balances())).isEmpty();
  }

  /**
   * An instant {@code t} with {@code t(n + 1) <= t < t(n)} for two consecutive events {@code n, n +
   * 1} of one account: the later event is counted by time, but had not happened yet.
   */
  static Instant inversion(List<ExpectedLedger.Event> store) {
    Map<String, ExpectedLedger.Event> previous = new java.util.HashMap<>();
    for (ExpectedLedger.Event e : store) {
      ExpectedLedger.Event before = previous.put(e.accountId(), e);
      if (before != null
          && before.sequence() + 1 == e.sequence()
          && e.eventTime().isBefore(before.eventTime())) {
        return e.eventTime();
      }
    }
    throw new AssertionError("no two events of an account out of order in the generated data");
  }

  /** Every event up to the instant, whatever came before it in the account: not time travel. */
  static Map<String, ExpectedLedger.Balance> naiveBalancesAt(
      List<ExpectedLedger.Event> store, Instant instant) {
    Map<String, ExpectedLedger.Balance> balances = new LinkedHashMap<>();
    java.util.Set<String> applied = new java.util.HashSet<>();
    for (ExpectedLedger.Event e : store) {
      if (!e.eventTime().isAfter(instant) && applied.add(e.accountId() + "#" + e.sequence())) {
        balances.put(e.accountId(), ExpectedLedger.fold(balances.get(e.accountId()), e));
      }
    }
    return balances;
  }
}
