package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.Input;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Await;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import com.acme.shop.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared Kafka source and sink factories against a real broker, through a job that copies valid
 * clicks from one topic to another: where reading starts, and that either delivery guarantee
 * delivers.
 */
class KafkaConnectorsIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Topic<ClickEvent> IN = Topic.of("in", "in", ClickEvent.class, ClickEvent::userId);
  static final Topic<ClickEvent> OUT = Topic.of("out", "out", ClickEvent.class, ClickEvent::userId);

  String in;
  String out;

  @BeforeEach
  void topics() {
    in = TopicIO.unique("in");
    out = TopicIO.unique("out");
    KAFKA.topics().create(2, in, out);
  }

  static Message click(String id) {
    return Message.of(
        "u1",
        """
        {"eventId":"%s","userId":"u1","sessionId":"s1","type":"page_view","page":"/home",\
        "productId":null,"eventTime":"2026-11-23T09:00:00.000Z"}"""
            .formatted(id));
  }

  /** A job copying the valid clicks of {@code in} to {@code out}, with the given options. */
  StreamExecutionEnvironment copyJob(String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--parallelism",
                "1",
                "--checkpoint-interval",
                "200ms",
                "--topic.in",
                in,
                "--topic.out",
                out));
    args.addAll(List.of(options));
    JobParameters params =
        JobParameters.parse("copy", args.toArray(String[]::new), List.of(), List.of(IN, OUT))
            .orElseThrow();
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    Input.read(env, KafkaSources.parsed(params, IN, EventParser.json(ClickEvent.class)), params, IN)
        .events()
        .sinkTo(KafkaSinks.json(params, OUT))
        .name("out");
    return env;
  }

  /** Runs the copy job bounded, to its end. */
  void copy(String... options) throws Exception {
    List<String> bounded = new ArrayList<>(List.of(options));
    bounded.add("--bounded");
    copyJob(bounded.toArray(String[]::new)).execute("copy");
  }

  List<String> copiedIds() {
    return KAFKA.topics().readAll(out).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), ClickEvent.class))
        .map(ClickEvent::eventId)
        .toList();
  }

  @Test
  void anInstantStartsAtTheFirstRecordWrittenAtOrAfterIt() throws Exception {
    // Fixed Kafka timestamps, so the test does not depend on the wall clock: an hour after the
    // clicks' event time (an event may not be more than --max-event-time-ahead ahead of its
    // record's timestamp). The topic keeps them although they are older than the default retention.
    String stamped = TopicIO.unique("in-stamped");
    KAFKA.topics().create(2, Map.of("retention.ms", "-1"), stamped);
    in = stamped;
    Instant before = Instant.parse("2026-11-23T10:00:00Z");
    Instant start = Instant.parse("2026-11-23T10:00:30Z");
    Instant after = Instant.parse("2026-11-23T10:01:00Z");
    KAFKA.topics().write(in, List.of(click("a1"), click("a2"), click("a3")), before);
    KAFKA.topics().write(in, List.of(click("b1")), start);
    KAFKA.topics().write(in, List.of(click("b2")), after);

    copy("--starting-offsets", start.toString(), "--job-name", TopicIO.unique("copy"));

    assertThat(copiedIds()).containsExactlyInAnyOrder("b1", "b2");
  }

  @Test
  void aRestartWithoutStateGoesOnFromTheOffsetsTheRunningJobCommitted() throws Exception {
    String jobName = TopicIO.unique("copy");
    KAFKA.topics().write(in, List.of(click("a1"), click("a2"), click("a3")));
    // No offsets committed yet: `committed` starts at the beginning.
    JobClient running =
        copyJob("--starting-offsets", "committed", "--job-name", jobName).executeAsync("copy");
    // The running source commits its offsets each time a checkpoint completes.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (committedRecords(jobName) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    running.cancel().get();
    assertThat(committedRecords(jobName)).isEqualTo(3);

    KAFKA.topics().write(in, List.of(click("b1"), click("b2")));
    out = TopicIO.unique("out-after-restart");
    KAFKA.topics().create(2, out);
    copy("--starting-offsets", "committed", "--job-name", jobName);
    assertThat(copiedIds()).containsExactlyInAnyOrder("b1", "b2");
  }

  @ParameterizedTest
  @CsvSource({"exactly-once, true", "at-least-once, false"})
  void theDeliveryGuaranteeDecidesWhetherTheSinkUsesTransactions(
      String guarantee, boolean transactional) throws Exception {
    String jobName = TopicIO.unique("copy");
    KAFKA.topics().write(in, List.of(click("a1"), click("a2")));
    copy(
        "--starting-offsets", "earliest", "--delivery-guarantee", guarantee, "--job-name", jobName);

    assertThat(copiedIds()).containsExactlyInAnyOrder("a1", "a2");
    try (Admin admin = KAFKA.topics().admin()) {
      List<String> ours =
          admin.listTransactions().all().get().stream()
              .map(TransactionListing::transactionalId)
              .filter(id -> id.startsWith(jobName))
              .toList();
      assertThat(!ours.isEmpty())
          .as("transactional ids of the sink: %s", ours)
          .isEqualTo(transactional);
    }
  }

  /**
   * A session cluster runs job after job in one task manager: a client left open by a finished job
   * keeps its class loader, and the task manager ran out of metaspace after a dozen runs. The
   * connector's exactly-once writer leaves its admin client open; {@link LeakFreeKafkaSink} closes
   * it.
   */
  @Test
  void aFinishedRunLeavesNoKafkaClientThreadBehind() throws Exception {
    Set<Thread> before = kafkaClientThreads();
    KAFKA.topics().write(in, List.of(click("a1"), click("a2")));
    copy("--starting-offsets", "earliest", "--job-name", TopicIO.unique("copy"));
    assertThat(copiedIds()).containsExactlyInAnyOrder("a1", "a2");

    // Clients close while the job winds down, some just after it reports FINISHED.
    try {
      Await.until(
          "the run's Kafka clients to close",
          Duration.ofSeconds(30),
          () -> !leftBehind(before).findAny().isPresent());
    } finally {
      assertThat(leftBehind(before).map(Thread::getName)).isEmpty();
    }
  }

  private static Stream<Thread> leftBehind(Set<Thread> before) {
    return kafkaClientThreads().stream().filter(t -> !before.contains(t));
  }

  /** The network threads of Kafka admin clients, producers and consumers in this JVM. */
  private static Set<Thread> kafkaClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(
            t ->
                t.getName().startsWith("kafka-admin-client-thread")
                    || t.getName().startsWith("kafka-producer-network-thread")
                    || t.getName().startsWith("kafka-coordinator-heartbeat-thread")
                    || t.getName().startsWith("consumer_background_thread"))
        .collect(Collectors.toSet());
  }

  /** The offsets the job's consumer group committed, summed over the input's partitions. */
  long committedRecords(String group) throws Exception {
    try (Admin admin = KAFKA.topics().admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return Stream.of(0, 1)
          .map(p -> offsets.get(new TopicPartition(in, p)))
          .mapToLong(o -> o == null ? 0 : o.offset())
          .sum();
    }
  }
}
