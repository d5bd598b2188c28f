package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.testing.Await;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.Postgres;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live ledger with {@code --read-model-jdbc-url}: {@code read_models.balances} in a real
 * PostgreSQL follows the commands, equal to the balances folded independently from them, and a stop
 * with a savepoint and a restart from it (which replays what came after) leave it exact.
 */
class BalancesTableIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Duration TIMEOUT = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void theBalancesTableFollowsTheCommandsThroughAStopAndARestart() throws Exception {
    try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
      Path jdbcProperties = Files.writeString(dir.resolve("jdbc.properties"), "password=shop");
      TopicIO io = KAFKA.topics();
      LedgerTopics topics = LedgerTopics.unique().create(io, 4);
      List<Message> commands = Ledger.generatedCommands(21, 0, 2_000, 0.01);
      List<Message> first = commands.subList(0, 1_000);
      String jobName = TopicIO.unique("ledger-table");
      String[] table = {
        "--read-model-jdbc-url", pg.shopUrl(),
        "--read-model-jdbc-properties", jdbcProperties.toString()
      };

      io.write(topics.commands(), first);
      JobClient run1 = Ledger.start(Ledger.params(KAFKA, topics, jobName, table));
      ExpectedLedger before = ExpectedLedger.of(Ledger.validCommands(first));
      awaitTable(pg, topics, before, "after the first commands");
      String savepoint =
          run1.stopWithSavepoint(
                  false,
                  dir.resolve("savepoints").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      io.write(topics.commands(), commands.subList(first.size(), commands.size()));
      Configuration restore = new Configuration();
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      JobClient run2 = Ledger.start(Ledger.params(KAFKA, topics, jobName, table), restore);
      ExpectedLedger after = ExpectedLedger.of(Ledger.validCommands(commands));
      awaitTable(pg, topics, after, "after all commands");
      // The topic shows a change once its checkpoint commits; the table as soon as it is written.
      Await.until(
          "bank.balances after all commands",
          TIMEOUT,
          () -> Ledger.balances(KAFKA, topics.balances()).equals(after.balances));
      run2.cancel().get();

      assertThat(balances(pg)).isEqualTo(after.balances).hasSizeGreaterThan(20);
      for (JobClient run : List.of(run1, run2)) {
        assertThat(JobRestarts.of(FLINK, run.getJobID())).isZero();
      }
    }
  }

  /** Waits for the table to hold {@code expected}'s balances; says what differs if it does not. */
  private static void awaitTable(
      Postgres pg, LedgerTopics topics, ExpectedLedger expected, String when) throws Exception {
    try {
      Await.until(
          "read_models.balances " + when, TIMEOUT, () -> balances(pg).equals(expected.balances));
    } catch (AssertionError e) {
      java.util.Map<String, ExpectedLedger.Balance> table = balances(pg);
      java.util.Map<String, ExpectedLedger.Balance> topic =
          Ledger.balances(KAFKA, topics.balances());
      List<String> differing =
          expected.balances.keySet().stream()
              .filter(a -> !expected.balances.get(a).equals(table.get(a)))
              .sorted()
              .toList();
      throw new AssertionError(
          e.getMessage()
              + "; "
              + differing.size()
              + " accounts differ in the table, e.g. "
              + differing.stream()
                  .limit(3)
                  .map(
                      a ->
                          expected.balances.get(a)
                              + " vs table "
                              + table.get(a)
                              + ", topic "
                              + topic.get(a))
                  .toList()
              + "; events in the store "
              + Ledger.events(KAFKA, topics.events()).size()
              + " of "
              + expected.events.size()
              + ", topic balances equal: "
              + topic.equals(expected.balances),
          e);
    }
  }

  private static java.util.Map<String, ExpectedLedger.Balance> balances(Postgres pg) {
    try {
      return Ledger.balancesTable(pg, "balances");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
