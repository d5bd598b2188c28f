package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.testing.TopicIO.Received;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job restored from a checkpoint mid-stream writes exactly what a run without the failure writes,
 * to every output and to the late topic.
 *
 * <p>The first run reads the first half of the input, checkpoints it, and is cancelled with its
 * checkpoint retained while more input arrives. The second run starts from its last checkpoint,
 * reads the rest, including clicks that were already late for the watermarks of the first half, and
 * ends with stop-with-savepoint and drain, which fires every window and timer as a bounded run
 * does. A restored router that had forgotten its watermarks would let those clicks through: they
 * would re-open windows that had fired, and wrongly rescue or abandon carts.
 */
class RestoreIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @TempDir Path checkpoints;

  static Message click(String id, String user, String type, String time) {
    String productId = type.equals("add_to_cart") ? "\"p-" + id + "\"" : "null";
    return Message.of(
        user,
        """
        {"eventId":"%s","userId":"%s","sessionId":"s-%s","type":"%s","page":"/p/%s",\
        "productId":%s,"eventTime":"2026-11-23T%sZ"}"""
            .formatted(id, user, user, type, user, productId, time));
  }

  static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "u6");

  /** Every user's page view every 7 s in {@code [from, to)}, in time order. */
  static List<Message> pageViews(String from, String to) {
    List<Message> views = new ArrayList<>();
    Instant end = Instant.parse("2026-11-23T" + to + "Z");
    for (Instant t = Instant.parse("2026-11-23T" + from + "Z");
        t.isBefore(end);
        t = t.plusSeconds(7)) {
      for (String user : USERS) {
        String time = t.toString().substring(11, 19) + ".000";
        views.add(click(user + "-" + time, user, "page_view", time));
      }
    }
    return views;
  }

  @SafeVarargs
  static List<Message> concat(List<Message>... parts) {
    return Stream.of(parts).flatMap(List::stream).toList();
  }

  /** Read, checkpointed, then the first run is cancelled. */
  static final List<Message> FIRST_HALF =
      concat(
          List.of(click("a1", "u1", "add_to_cart", "09:00:04.000")),
          pageViews("09:00:00", "09:01:20"),
          List.of(click("a2", "u2", "add_to_cart", "09:01:21.000")),
          pageViews("09:01:21", "09:03:00"));

  /** Each user's page view at {@code time}, late once the first half was read. */
  static List<Message> lateViews(String prefix, String time) {
    return USERS.stream().map(user -> click(prefix + "-" + user, user, "page_view", time)).toList();
  }

  // Would rescue u2's cart of 09:01:21 if it were on time.
  static final Message LATE_CHECKOUT = click("late-checkout", "u2", "checkout", "09:01:30.000");
  // Would be abandoned, long past its timeout, if it were on time.
  static final Message LATE_ADD = click("late-add", "u4", "add_to_cart", "09:00:50.000");

  /**
   * Written after a checkpoint holding the first half completed, and just before the cancel: read
   * by the first run, the second, or partly by each. Every one of them is late, for a window that
   * fired or for one still open, so whatever the checkpoint the second run restores from, the first
   * click it reads of each partition is late only by the watermarks of the first half.
   */
  static final List<Message> IN_FLIGHT =
      concat(
          lateViews("late-fired", "09:01:05.000"),
          List.of(LATE_CHECKOUT, LATE_ADD),
          lateViews("late-open", "09:02:30.000"));

  // Late for the second half's own watermark, as in any run.
  static final Message LATE_AGAIN = click("late-again", "u5", "page_view", "09:04:00.000");

  /** Read only by the restored run, again starting with late clicks. */
  static final List<Message> SECOND_HALF =
      concat(
          lateViews("late-after", "09:02:40.000"),
          pageViews("09:03:00", "09:05:00"),
          List.of(LATE_AGAIN, click("c5", "u5", "checkout", "09:05:01.000")),
          pageViews("09:05:02", "09:06:00"));

  static final List<Message> ALL = concat(FIRST_HALF, IN_FLIGHT, SECOND_HALF);

  JobParameters params(RunTopics topics, String jobName, String... extra) {
    // No partition may go idle on the wall clock while a run waits for the test.
    List<String> args = new ArrayList<>(List.of("--idleness", "10min"));
    args.addAll(List.of(extra));
    return ActivityMonitorIT.params(topics, jobName, args.toArray(String[]::new));
  }

  StreamExecutionEnvironment environment(JobParameters params, Configuration extra) {
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    env.configure(extra);
    ActivityMonitorJob.build(
        env,
        params,
        ActivityMonitorJob.clickSource(params),
        ActivityMonitorJob.Outputs.kafka(params));
    return env;
  }

  @Test
  void aRunRestoredMidStreamWritesExactlyWhatARunWithoutTheFailureWrites() throws Exception {
    TopicIO io = KAFKA.topics();

    // The run without a failure: all the input, bounded.
    RunTopics reference = RunTopics.unique().create(io, 2, 2);
    io.write(reference.clicks(), ALL);
    JobParameters once = params(reference, TopicIO.unique("activity-once"), "--bounded");
    environment(once, new Configuration()).execute("activity-monitor without failure");

    // The same input into fresh topics, read by a run that is cancelled and restored.
    RunTopics restored = RunTopics.unique().create(io, 2, 2);
    String jobName = TopicIO.unique("activity-restored");
    JobParameters live = params(restored, jobName);
    Configuration retainCheckpoints = new Configuration();
    retainCheckpoints.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    retainCheckpoints.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);

    io.write(restored.clicks(), FIRST_HALF);
    assertThat(io.readAll(restored.clicks()))
        .extracting(Received::partition)
        .as("both partitions have clicks, so both move the watermark")
        .contains(0, 1);
    JobClient first = environment(live, retainCheckpoints).executeAsync("activity-monitor, first");
    awaitCommittedInput(jobName, restored.clicks(), FIRST_HALF.size());
    // Windows of the first half fired and were committed before the failure.
    assertThat(io.readAll(restored.pageViews())).isNotEmpty();
    io.write(restored.clicks(), IN_FLIGHT);
    Thread.sleep(200);
    first.cancel().get(60, TimeUnit.SECONDS);
    Path checkpoint = latestCheckpoint(first);

    Configuration restore = retainCheckpoints.clone();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
    JobClient second = environment(live, restore).executeAsync("activity-monitor, restored");
    io.write(restored.clicks(), SECOND_HALF);
    awaitCommittedInput(jobName, restored.clicks(), ALL.size());
    // Drain: the final watermark fires every window and timer, as at the end of a bounded run.
    second
        .stopWithSavepoint(
            true,
            checkpoints.resolve("savepoints").toUri().toString(),
            SavepointFormatType.CANONICAL)
        .get(120, TimeUnit.SECONDS);

    for (var topic :
        List.<java.util.function.Function<RunTopics, String>>of(
            RunTopics::pageViews,
            RunTopics::eventRates,
            RunTopics::sessions,
            RunTopics::carts,
            RunTopics::alerts,
            RunTopics::dlq,
            RunTopics::late)) {
      List<String> expected = keysAndValues(topic.apply(reference));
      assertThat(keysAndValues(topic.apply(restored)))
          .as(topic.apply(restored))
          .containsExactlyElementsOf(expected);
    }

    // The test is only worth something if the clicks after the restore really were late.
    assertThat(keysAndValues(restored.late()))
        .containsExactlyInAnyOrderElementsOf(
            concat(IN_FLIGHT, lateViews("late-after", "09:02:40.000"), List.of(LATE_AGAIN)).stream()
                .map(RestoreIT::text)
                .toList());
    // Neither cart was rescued, and the late add is no abandonment.
    assertThat(keysAndValues(restored.carts()))
        .satisfiesExactly(
            u1 -> assertThat(u1).startsWith("u1|").contains("\"eventId\":\"a1\""),
            u2 -> assertThat(u2).startsWith("u2|").contains("\"eventId\":\"a2\""));
  }

  static String text(Message m) {
    return m.key() + "|" + m.value();
  }

  /** The topic's records as {@code key|value}, sorted: the order across partitions is free. */
  static List<String> keysAndValues(String topic) {
    return KAFKA.topics().readAll(topic).stream()
        .map(r -> r.key() + "|" + r.value())
        .sorted()
        .toList();
  }

  /**
   * Waits until the job's consumer group committed {@code count} records of {@code topic}: the
   * source commits offsets when a checkpoint completes, so by then a checkpoint holds all of them.
   */
  static void awaitCommittedInput(String group, String topic, long count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    try (Admin admin = KAFKA.topics().admin()) {
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long total =
            committed.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
        if (total >= count) {
          assertThat(total).isEqualTo(count);
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "committed " + total + " of " + count + " records of " + topic + ": " + committed);
        }
        Thread.sleep(100);
      }
    }
  }

  /** The checkpoint the cancelled job retained: its last completed one. */
  Path latestCheckpoint(JobClient job) throws IOException {
    Path dir = checkpoints.resolve(job.getJobID().toString());
    try (Stream<Path> children = Files.list(dir)) {
      List<Path> completed =
          children
              .filter(p -> p.getFileName().toString().startsWith("chk-"))
              .filter(p -> Files.exists(p.resolve("_metadata")))
              .sorted(
                  Comparator.comparingLong(
                      p -> Long.parseLong(p.getFileName().toString().substring(4))))
              .collect(Collectors.toList());
      assertThat(completed).as("retained checkpoints in " + dir).isNotEmpty();
      return completed.get(completed.size() - 1);
    }
  }
}
