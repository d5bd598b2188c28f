package com.acme.shop.bench;

import com.acme.shop.activity.ActivityMonitorJob;
import com.acme.shop.activity.SingleOutputs;
import com.acme.shop.datagen.ClickstreamGenerator;
import com.acme.shop.flink.Input;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.InstantReading;
import com.acme.shop.json.Json;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.EmbeddedKafka;
import com.acme.shop.testing.LocalResources;
import com.acme.shop.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Throughput of activity-monitor over generated clicks, as a table of ratios against a baseline
 * measured in the same run on the same data: reading and parsing the topic into a discarding sink,
 * which is the floor any job over this topic pays. Then the state a running job holds after reading
 * all of it, from a savepoint.
 *
 * <p>Everything runs in this JVM: a real broker and a MiniCluster per run. Times are the jobs' net
 * run times (without cluster start-up). Usage: {@code scripts/bench.sh [--events N] [--parallelism
 * P]}.
 */
public final class Benchmarks {

  private static final String BASELINE = "read + parse + route (baseline)";

  private Benchmarks() {}

  /** One configuration's run times over the same events. */
  record Row(String name, long events, List<Duration> times) {
    Duration median() {
      List<Duration> sorted = times.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }

    double perSecond(Duration time) {
      return events / (time.toNanos() / 1e9);
    }

    double perSecond() {
      return perSecond(median());
    }
  }

  public static void main(String[] args) throws Exception {
    long events = 1_000_000;
    int parallelism = 2;
    int repeats = 3;
    String only = "";
    String job = "activity-monitor";
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--job" -> job = args[i + 1];
        case "--events" -> events = Long.parseLong(args[i + 1]);
        case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--only" -> only = args[i + 1];
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --job activity-monitor|fraud-detection, --events N,"
                    + " --parallelism P, --repeats R, --only TEXT");
      }
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      switch (job) {
        case "activity-monitor" -> new Benchmarks().run(kafka, events, parallelism, repeats, only);
        case "fraud-detection" ->
            FraudBenchmark.run(
                kafka,
                hasOption(args, "--events") ? events : 2_000_000,
                parallelism,
                repeats,
                only);
        default -> throw new IllegalArgumentException("no benchmark for job " + job);
      }
    }
    // The broker's and Flink's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }

  private static boolean hasOption(String[] args, String option) {
    return java.util.Arrays.asList(args).contains(option);
  }

  private void run(EmbeddedKafka kafka, long events, int parallelism, int repeats, String only)
      throws Exception {
    String clicks = "bench.clickstream";
    kafka.topics().create(4, clicks);
    for (String output :
        List.of(
            "bench.page-views",
            "bench.event-rates",
            "bench.sessions",
            "bench.cart-abandonment",
            "bench.alerts")) {
      kafka.topics().create(4, output);
    }
    kafka.topics().create(1, "bench.dlq", "bench.late");

    long loadStart = System.nanoTime();
    writeClicks(kafka.bootstrapServers(), clicks, events);
    Duration load = Duration.ofNanos(System.nanoTime() - loadStart);
    System.out.printf(
        "wrote %,d generated clicks (seed 1, 1%% planted patterns, 0.1%% bad) in %.1f s%n",
        events, load.toNanos() / 1e9);

    Map<String, BiConsumer<StreamExecutionEnvironment, JobParameters>> runs = new LinkedHashMap<>();
    runs.put(
        BASELINE,
        (env, params) -> readClicks(env, params).sinkTo(new DiscardingSink<>()).name("discard"));
    // Where the time goes: each output alone on top of the baseline.
    for (var output : SingleOutputs.all().entrySet()) {
      runs.put(
          "baseline + " + output.getKey() + " only",
          (env, params) ->
              output
                  .getValue()
                  .apply(readClicks(env, params), Duration.ZERO)
                  .sinkTo(new DiscardingSink<>())
                  .name("discard"));
    }
    runs.put(
        "activity-monitor, discarding sinks",
        (env, params) ->
            ActivityMonitorJob.build(
                env,
                params,
                ActivityMonitorJob.clickSource(params),
                ActivityMonitorJob.Outputs.discarding()));
    runs.put(
        "activity-monitor, exactly-once to Kafka",
        (env, params) ->
            ActivityMonitorJob.build(
                env,
                params,
                ActivityMonitorJob.clickSource(params),
                ActivityMonitorJob.Outputs.kafka(params)));

    BiConsumer<StreamExecutionEnvironment, JobParameters> wholeJob =
        runs.get("activity-monitor, discarding sinks");
    // --only keeps the runs whose name contains the text, and the baseline the ratios need.
    runs.keySet().removeIf(name -> !name.equals(BASELINE) && !name.contains(only));

    // One unreported run of the whole job first, so no row pays for the JIT's warm-up; then the
    // runs in turn, `repeats` rounds, so a slow moment of the machine spreads over all of them.
    System.out.println("warm-up run ...");
    timed(kafka, clicks, parallelism, wholeJob);
    Map<String, List<Duration>> times = new LinkedHashMap<>();
    for (int round = 1; round <= repeats; round++) {
      for (var run : runs.entrySet()) {
        Duration time = timed(kafka, clicks, parallelism, run.getValue());
        times.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(time);
        System.out.printf("round %d, %s: %.1f s%n", round, run.getKey(), time.toNanos() / 1e9);
      }
    }
    List<Row> rows = new ArrayList<>();
    times.forEach((name, durations) -> rows.add(new Row(name, events, durations)));
    printTable(rows, parallelism, repeats);

    // The same run's before and after of one optimisation: reading event times by hand.
    List<String> eventTimes =
        LongStream.range(0, events)
            .mapToObj(i -> Json.formatInstant(Load.START.plusMillis(10 * i)))
            .toList();
    double[] nanos = InstantReading.compare(eventTimes, 5);
    System.out.printf(
        "Reading %,d event times, best of 5: ISO formatter %.0f ns each, Json %.0f ns each"
            + " (%.1fx as fast)%n%n",
        events, nanos[0], nanos[1], nanos[0] / nanos[1]);

    stateAfterReadingEverything(kafka, clicks, events, parallelism);
  }

  /** What every output of the job starts from: the parsed, routed, on-time clicks. */
  private static DataStream<ClickEvent> readClicks(
      StreamExecutionEnvironment env, JobParameters params) {
    return Input.read(env, ActivityMonitorJob.clickSource(params), params, Topics.CLICKSTREAM)
        .events();
  }

  private static void writeClicks(String bootstrap, String topic, long events) {
    Load.write(bootstrap, new ClickstreamGenerator(topic, Load.settings()), topic, events);
  }

  private static JobParameters params(
      EmbeddedKafka kafka, String clicks, int parallelism, String runName, boolean bounded) {
    List<String> args = commonArgs(kafka, parallelism, runName, null, bounded);
    args.addAll(
        List.of(
            "--topic.clickstream", clicks,
            "--topic.page-views", "bench.page-views",
            "--topic.event-rates", "bench.event-rates",
            "--topic.sessions", "bench.sessions",
            "--topic.cart-abandonment", "bench.cart-abandonment",
            "--topic.alerts", "bench.alerts",
            "--topic.dlq", "bench.dlq",
            "--topic.late", "bench.late"));
    return ActivityMonitorJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  /**
   * The options every benchmarked run shares: the test broker from the earliest offsets,
   * checkpoints every second (into {@code checkpointDir}, when not null), bounded or not; a job's
   * own options follow.
   */
  static List<String> commonArgs(
      EmbeddedKafka kafka, int parallelism, String jobName, String checkpointDir, boolean bounded) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--starting-offsets",
                "earliest",
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-interval",
                "1s",
                "--job-name",
                jobName));
    if (checkpointDir != null) {
      args.addAll(List.of("--checkpoint-dir", checkpointDir));
    }
    if (bounded) {
      args.add("--bounded");
    }
    return args;
  }

  static StreamExecutionEnvironment localEnvironment(JobParameters params, int parallelism) {
    Configuration conf = new Configuration();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    return JobEnvironment.configure(env, params);
  }

  /** Runs one topology bounded over the clicks; returns the job's net run time. */
  private static Duration timed(
      EmbeddedKafka kafka,
      String clicks,
      int parallelism,
      BiConsumer<StreamExecutionEnvironment, JobParameters> topology)
      throws Exception {
    String runName = "bench-" + System.nanoTime();
    return timed(params(kafka, clicks, parallelism, runName, true), parallelism, topology);
  }

  static void printTable(List<Row> rows, int parallelism, int repeats) {
    printTable("events", rows, parallelism, repeats);
  }

  /** Builds {@code topology} on a local environment, runs it; returns the job's net run time. */
  static Duration timed(
      JobParameters params,
      int parallelism,
      BiConsumer<StreamExecutionEnvironment, JobParameters> topology)
      throws Exception {
    StreamExecutionEnvironment env = localEnvironment(params, parallelism);
    topology.accept(env, params);
    JobExecutionResult result = env.execute(params.runName());
    return Duration.ofMillis(result.getNetRuntime(TimeUnit.MILLISECONDS));
  }

  /** {@link #printTable(String, List, int, int)} of named run times over {@code count} each. */
  static void printTable(
      String unit, long count, Map<String, List<Duration>> times, int parallelism, int repeats) {
    List<Row> rows = new ArrayList<>();
    times.forEach((name, durations) -> rows.add(new Row(name, count, durations)));
    printTable(unit, rows, parallelism, repeats);
  }

  /** The rows with their medians, ranges and ratios to the first row, the baseline. */
  static void printTable(String unit, List<Row> rows, int parallelism, int repeats) {
    Row baseline = rows.get(0);
    System.out.printf(
        "%n%,d %s, bounded runs, parallelism %d, median of %d runs (net job run time):%n",
        baseline.events(), unit, parallelism, repeats);
    System.out.printf(
        "%-44s %10s %12s %22s %12s%n",
        "run", "seconds", unit + "/s", unit + "/s min-max", "vs baseline");
    for (Row row : rows) {
      Duration slowest = row.times().stream().max(Duration::compareTo).orElseThrow();
      Duration fastest = row.times().stream().min(Duration::compareTo).orElseThrow();
      System.out.printf(
          "%-44s %10.1f %,12.0f %22s %12.2f%n",
          row.name(),
          row.median().toNanos() / 1e9,
          row.perSecond(),
          String.format("%,.0f-%,.0f", row.perSecond(slowest), row.perSecond(fastest)),
          row.perSecond() / baseline.perSecond());
    }
    System.out.println();
  }

  /**
   * Runs the job unbounded until its consumer group has committed every offset (so the windows,
   * sessions and carts of the whole topic are in state, short of the final watermark), then takes a
   * savepoint and reports its size.
   */
  private static void stateAfterReadingEverything(
      EmbeddedKafka kafka, String clicks, long events, int parallelism) throws Exception {
    String runName = "bench-state-" + System.nanoTime();
    JobParameters params = params(kafka, clicks, parallelism, runName, false);
    StreamExecutionEnvironment env = localEnvironment(params, parallelism);
    ActivityMonitorJob.build(
        env,
        params,
        ActivityMonitorJob.clickSource(params),
        ActivityMonitorJob.Outputs.kafka(params));
    JobClient job = env.executeAsync(runName);
    Path savepoints = Files.createTempDirectory("bench-savepoints-");
    try (Admin admin = kafka.topics().admin()) {
      awaitCommitted(admin, runName, clicks, Duration.ofMinutes(10));
      String savepoint =
          job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(5, TimeUnit.MINUTES);
      System.out.printf(
          "State after reading all %,d clicks (canonical savepoint, parallelism %d): %,.1f MiB%n",
          events, parallelism, directorySize(Path.of(java.net.URI.create(savepoint))) / 1048576.0);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
      LocalResources.deleteRecursively(savepoints);
    }
  }

  static void awaitCommitted(Admin admin, String group, String topic, Duration timeout)
      throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      partitions.add(new TopicPartition(topic, p));
    }
    Map<TopicPartition, Long> ends = new java.util.HashMap<>();
    admin
        .listOffsets(
            partitions.stream()
                .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
        .all()
        .get()
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      boolean done =
          ends.entrySet().stream()
              .allMatch(
                  e ->
                      committed.get(e.getKey()) != null
                          && committed.get(e.getKey()).offset() >= e.getValue());
      if (done) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the job did not read " + topic + " within " + timeout);
  }

  static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
