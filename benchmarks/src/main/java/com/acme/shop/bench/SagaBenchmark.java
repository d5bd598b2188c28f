package com.acme.shop.bench;

import com.acme.shop.datagen.OrderEventsGenerator;
import com.acme.shop.flink.Input;
import com.acme.shop.json.Json;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.params.JobParameters;
import com.acme.shop.saga.OrderSagaJob;
import com.acme.shop.testing.EmbeddedKafka;
import com.acme.shop.testing.LocalResources;
import com.acme.shop.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * order-saga's figures, each against a baseline measured in the same run on the same data:
 *
 * <ul>
 *   <li>events/s of bounded runs over N generated order events (default one million), as a ratio to
 *       reading and parsing the same topic into a discarding sink;
 *   <li>the state per open saga: a savepoint of a live job that has read M placements (default 100
 *       000) that no answer follows, within less than the timeout of event time, so every saga is
 *       open, and the join still holds every placement.
 * </ul>
 *
 * Usage: {@code scripts/bench.sh --job order-saga [--events N] [--open M] [--parallelism P]
 * [--repeats R]}.
 */
public final class SagaBenchmark {
  private static final String EVENTS = "bench.order-events";
  private static final String PLACEMENTS = "bench.order-placements";

  public static void main(String[] args) throws Exception {
    long events = 1_000_000;
    long open = 100_000;
    int parallelism = 2;
    int repeats = 3;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[i + 1]);
        case "--open" -> open = Long.parseLong(args[i + 1]);
        case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --events N, --open M, --parallelism P, --repeats R");
      }
    }
    Path checkpoints = Files.createTempDirectory("bench-saga-checkpoints-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      SagaBenchmark bench = new SagaBenchmark(kafka, checkpoints.toUri().toString(), parallelism);
      bench.eventsPerSecond(events, repeats);
      bench.statePerOpenSaga(open);
    } finally {
      LocalResources.deleteRecursively(checkpoints);
    }
    System.exit(0); // the broker's and Flink's non-daemon threads would keep the JVM alive
  }

  private final EmbeddedKafka kafka;
  private final String checkpointDir;
  private final int parallelism;
  private int topicNumber;

  private SagaBenchmark(EmbeddedKafka kafka, String checkpointDir, int parallelism) {
    this.kafka = kafka;
    this.checkpointDir = checkpointDir;
    this.parallelism = parallelism;
  }

  private void eventsPerSecond(long events, int repeats) throws Exception {
    kafka.topics().create(4, EVENTS);
    long t0 = System.nanoTime();
    Load.write(
        kafka.bootstrapServers(),
        new OrderEventsGenerator(EVENTS, Load.settings()),
        EVENTS,
        events);
    System.out.printf(
        "wrote %,d generated order events (seed 1, 1%% planted paths, 0.1%% bad) in %.1f s%n",
        events, (System.nanoTime() - t0) / 1e9);

    Map<String, BiConsumer<StreamExecutionEnvironment, JobParameters>> runs = new LinkedHashMap<>();
    runs.put(
        "read + parse order events (baseline)",
        (env, params) ->
            Input.readEveryRecord(
                    env, OrderSagaJob.eventSource(params), params, Topics.ORDER_EVENTS)
                .events()
                .sinkTo(new DiscardingSink<>())
                .name("discard"));
    runs.put(
        "order-saga, discarding sinks",
        (env, params) ->
            OrderSagaJob.build(
                env, params, OrderSagaJob.eventSource(params), OrderSagaJob.Outputs.discarding()));
    runs.put(
        "order-saga, exactly-once to Kafka",
        (env, params) ->
            OrderSagaJob.build(
                env, params, OrderSagaJob.eventSource(params), OrderSagaJob.Outputs.kafka(params)));

    System.out.println("warm-up run ...");
    timed(runs.get("order-saga, discarding sinks"));
    Map<String, List<Duration>> times = new LinkedHashMap<>();
    for (int round = 1; round <= repeats; round++) {
      for (var run : runs.entrySet()) {
        Duration time = timed(run.getValue());
        times.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(time);
        System.out.printf("round %d, %s: %.1f s%n", round, run.getKey(), time.toNanos() / 1e9);
      }
    }
    Benchmarks.printTable("events", events, times, parallelism, repeats);
  }

  /** A fresh topic; the broker creates none on the fly. */
  private String fresh(String base, int partitions) {
    String name = base + "-" + ++topicNumber;
    kafka.topics().create(partitions, name);
    return name;
  }

  private JobParameters params(String input, boolean bounded) {
    List<String> args =
        Benchmarks.commonArgs(
            kafka, parallelism, "bench-saga-" + System.nanoTime(), checkpointDir, bounded);
    args.addAll(
        List.of(
            "--topic.order-events", input,
            "--topic.saga", fresh("bench.sagas", 4),
            "--topic.commands", fresh("bench.commands", 4),
            "--topic.payment-latency", fresh("bench.latency", 4),
            "--topic.dlq", fresh("bench.dlq", 1),
            "--topic.late", fresh("bench.late", 1)));
    return OrderSagaJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  private Duration timed(BiConsumer<StreamExecutionEnvironment, JobParameters> topology)
      throws Exception {
    return Benchmarks.timed(params(EVENTS, true), parallelism, topology);
  }

  /**
   * Placements only, 1 ms of event time apart: {@code open} of them span far less than the 15
   * minutes of the timeout, so none times out. The live job reads them all, then a savepoint
   * measures the state: the job's keyed state, the join's buffered placements, and the sources' and
   * sinks' few bytes.
   */
  private void statePerOpenSaga(long open) throws Exception {
    kafka.topics().create(4, PLACEMENTS);
    try (KafkaProducer<byte[], byte[]> producer = Load.producer(kafka.bootstrapServers())) {
      for (long i = 0; i < open; i++) {
        String order = "open-" + i;
        OrderEvent placed =
            new OrderEvent(
                "oe-" + i,
                order,
                OrderEventType.ORDER_PLACED,
                "c" + (i % 2000),
                new BigDecimal("42.50"),
                Load.START.plusMillis(i));
        producer.send(
            new ProducerRecord<>(
                PLACEMENTS, order.getBytes(StandardCharsets.UTF_8), Json.bytes(placed)));
      }
      producer.flush();
    }
    JobParameters params = params(PLACEMENTS, false);
    StreamExecutionEnvironment env = Benchmarks.localEnvironment(params, parallelism);
    OrderSagaJob.build(
        env, params, OrderSagaJob.eventSource(params), OrderSagaJob.Outputs.discarding());
    JobClient job = env.executeAsync(params.runName());
    Path savepoints = Files.createTempDirectory("bench-saga-savepoints-");
    try (Admin admin = kafka.topics().admin()) {
      Benchmarks.awaitCommitted(admin, params.runName(), PLACEMENTS, Duration.ofMinutes(10));
      String savepoint =
          job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(5, TimeUnit.MINUTES);
      long bytes = Benchmarks.directorySize(Path.of(java.net.URI.create(savepoint)));
      System.out.printf(
          "State with %,d open sagas (canonical savepoint, parallelism %d): %,.1f MiB, %,.0f bytes"
              + " per open saga (the saga's state and the join's buffered placement)%n",
          open, parallelism, bytes / 1048576.0, (double) bytes / open);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
      LocalResources.deleteRecursively(savepoints);
    }
  }
}
