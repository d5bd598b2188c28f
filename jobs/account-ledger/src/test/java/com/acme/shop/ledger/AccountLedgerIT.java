package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Await;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated commands → the live job → events, rejections and balances, on a MiniCluster against a
 * real broker. Every output is expected as {@link ExpectedLedger} computes it from the commands
 * datagen wrote, and must be exactly that: each event once, in sequence, every rejection with its
 * reason, every balance, every bad record once in the dead-letter topic.
 */
class AccountLedgerIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Duration TIMEOUT = Duration.ofMinutes(2);

  @TempDir Path savepoints;

  static String progress(LedgerTopics topics, ExpectedLedger expected) {
    return "events "
        + KAFKA.topics().readAll(topics.events()).size()
        + "/"
        + expected.events.size()
        + ", rejections "
        + KAFKA.topics().readAll(topics.rejections()).size()
        + "/"
        + expected.rejections.size()
        + ", balances "
        + Ledger.balances(KAFKA, topics.balances()).size()
        + "/"
        + expected.balances.size();
  }

  @Test
  void generatedCommandsBecomeExactlyTheExpectedEventsRejectionsAndBalances() throws Exception {
    TopicIO io = KAFKA.topics();
    LedgerTopics topics = LedgerTopics.unique().create(io, 4);
    List<Message> commands = Ledger.generatedCommands(3, 0, 4_000, 0.01);
    io.write(topics.commands(), commands);

    List<ExpectedLedger.Command> valid = Ledger.validCommands(commands);
    ExpectedLedger expected = ExpectedLedger.of(valid);
    // The data is worth testing with: every reason, retries, bad records.
    assertThat(expected.rejections.stream().map(ExpectedLedger.Rejection::reason).distinct())
        .containsExactlyInAnyOrder(
            "ACCOUNT_EXISTS",
            "NO_SUCH_ACCOUNT",
            "ACCOUNT_CLOSED",
            "INSUFFICIENT_FUNDS",
            "INVALID_AMOUNT",
            "NONZERO_BALANCE");
    assertThat(expected.retries).isGreaterThan(10);
    int bad = commands.size() - valid.size();
    assertThat(bad).isGreaterThan(10);

    // The live job, unbounded: its projection reads the event store back as it fills.
    JobParameters params = Ledger.params(KAFKA, topics, TopicIO.unique("ledger"));
    JobClient job = Ledger.start(params);
    try {
      Await.until(
          "the balances of every account",
          TIMEOUT,
          () -> Ledger.balances(KAFKA, topics.balances()).equals(expected.balances));
    } catch (AssertionError e) {
      // Stuck or slow? Say how far the store and the balances got, and again a little later.
      String atTimeout = progress(topics, expected);
      Thread.sleep(20_000);
      throw new AssertionError(
          e.getMessage() + "; " + atTimeout + "; 20 s later " + progress(topics, expected), e);
    }
    Await.until(
        "every rejection",
        TIMEOUT,
        () -> io.readAll(topics.rejections()).size() >= expected.rejections.size());
    // Drain: whatever is still in flight is committed before the job ends.
    job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(JobRestarts.of(FLINK, job.getJobID())).as("restarts").isZero();

    // Each account's events in its partition, in sequence order, exactly once.
    assertThat(Ledger.events(KAFKA, topics.events()))
        .containsExactlyInAnyOrderElementsOf(expected.events);
    assertInSequence(Ledger.events(KAFKA, topics.events()));
    assertThat(Ledger.rejections(KAFKA, topics.rejections()))
        .containsExactlyInAnyOrderElementsOf(expected.rejections);
    assertThat(Ledger.balances(KAFKA, topics.balances())).isEqualTo(expected.balances);

    List<DeadLetter> deadLetters =
        io.readAll(topics.dlq()).stream()
            .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class))
            .toList();
    List<String> badValues =
        commands.stream().filter(m -> Ledger.command(m) == null).map(Message::value).toList();
    assertThat(deadLetters).hasSize(bad);
    assertThat(deadLetters)
        .extracting(DeadLetter::value)
        .containsExactlyInAnyOrderElementsOf(badValues);
    assertThat(deadLetters)
        .allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo(topics.commands()));
    assertThat(io.readAll(topics.late())).isEmpty();
  }

  /** Per account, in the order the store holds them: 1, 2, 3, ... with no gap, no repeat. */
  static void assertInSequence(List<ExpectedLedger.Event> store) {
    java.util.Map<String, Long> last = new java.util.HashMap<>();
    for (ExpectedLedger.Event e : store) {
      long previous = last.getOrDefault(e.accountId(), 0L);
      assertThat(e.sequence())
          .as("sequence of %s after %d", e.accountId(), previous)
          .isEqualTo(previous + 1);
      last.put(e.accountId(), e.sequence());
    }
  }
}
