package com.acme.shop.bench;

import com.acme.shop.datagen.AccountCommandsGenerator;
import com.acme.shop.flink.Input;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.ledger.AccountLedgerJob;
import com.acme.shop.ledger.Accounts;
import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.EmbeddedKafka;
import com.acme.shop.testing.LocalResources;
import com.acme.shop.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * account-ledger's figures, each against a baseline measured in the same run on the same data:
 *
 * <ul>
 *   <li>commands/s of bounded runs over N generated commands (default one million), as a ratio to
 *       reading, parsing and routing the same topic into a discarding sink;
 *   <li>the time to rebuild the balances ({@code --replay}) from an event store of M events
 *       (default one million), next to reading and parsing that store;
 *   <li>the state per account, from savepoints of a live job that has read every command and
 *       projected every event: with the commandIds of the idempotency retention, and without them.
 * </ul>
 *
 * Everything runs in this JVM: a real broker and a local Flink per run. Times are the jobs' net run
 * times, which include waiting for the final checkpoint (1 s interval). Usage: {@code
 * scripts/bench.sh ledger [--commands N] [--events M] [--parallelism P] [--repeats R]}.
 */
public final class LedgerBenchmarks {

  private static final String COMMANDS = "bench.account-commands";
  private static final String STORE = "bench.account-events.store";

  private LedgerBenchmarks() {}

  public static void main(String[] args) throws Exception {
    long commands = 1_000_000;
    long events = 1_000_000;
    int parallelism = 2;
    int repeats = 3;
    String parts = "commands,rebuild,state";
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--parts" -> parts = args[i + 1];
        case "--commands" -> commands = Long.parseLong(args[i + 1]);
        case "--events" -> events = Long.parseLong(args[i + 1]);
        case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --commands N, --events M, --parallelism P, --repeats R,"
                    + " --parts commands,rebuild,state");
      }
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      new LedgerBenchmarks().run(kafka, commands, events, parallelism, repeats, parts);
    }
    System.exit(0); // the broker's and Flink's non-daemon threads would keep the JVM alive
  }

  private int topicNumber;

  /**
   * Checkpoints go to files: a week of commandIds is far more than the 5 MB per task that Flink's
   * default in-memory checkpoint storage takes (a first run failed on it).
   */
  private final String checkpointDir = checkpointDir();

  private static String checkpointDir() {
    try {
      return Files.createTempDirectory("bench-ledger-checkpoints-").toUri().toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A fresh topic; the broker creates none on the fly. */
  private String fresh(EmbeddedKafka kafka, String base, int partitions) {
    String name = base + "-" + ++topicNumber;
    kafka.topics().create(partitions, name);
    return name;
  }

  private void run(
      EmbeddedKafka kafka, long commands, long events, int parallelism, int repeats, String parts)
      throws Exception {
    kafka.topics().create(4, COMMANDS, STORE);
    long t0 = System.nanoTime();
    writeCommands(kafka.bootstrapServers(), commands);
    System.out.printf(
        "wrote %,d generated commands (seed 1, 1%% planted rejections and retries, 0.1%% bad) in"
            + " %.1f s%n",
        commands, (System.nanoTime() - t0) / 1e9);

    if (parts.contains("commands")) {
      commandsPerSecond(kafka, commands, parallelism, repeats);
    }
    if (parts.contains("rebuild")) {
      rebuild(kafka, events, parallelism, repeats);
    }
    if (parts.contains("state")) {
      stateAfterReadingEverything(kafka, commands, parallelism, "7d");
      stateAfterReadingEverything(kafka, commands, parallelism, "1ms");
    }
    LocalResources.deleteRecursively(Path.of(java.net.URI.create(checkpointDir)));
  }

  private void commandsPerSecond(EmbeddedKafka kafka, long commands, int parallelism, int repeats)
      throws Exception {
    Map<String, BiConsumer<StreamExecutionEnvironment, JobParameters>> runs = new LinkedHashMap<>();
    runs.put(
        "read + parse + route commands (baseline)",
        (env, params) ->
            Input.read(
                    env,
                    AccountLedgerJob.Sources.kafka(params).commands(),
                    params,
                    Topics.ACCOUNT_COMMANDS)
                .events()
                .sinkTo(new DiscardingSink<>())
                .name("discard"));
    runs.put(
        "account-ledger, discarding sinks",
        (env, params) ->
            AccountLedgerJob.build(
                env,
                params,
                AccountLedgerJob.Sources.kafka(params),
                AccountLedgerJob.Outputs.discarding()));
    runs.put(
        "account-ledger, exactly-once to Kafka",
        (env, params) ->
            AccountLedgerJob.build(
                env,
                params,
                AccountLedgerJob.Sources.kafka(params),
                AccountLedgerJob.Outputs.kafka(params)));

    System.out.println("warm-up run ...");
    timedLive(kafka, parallelism, runs.get("account-ledger, discarding sinks"));
    Map<String, List<Duration>> times = new LinkedHashMap<>();
    for (int round = 1; round <= repeats; round++) {
      for (var run : runs.entrySet()) {
        Duration time = timedLive(kafka, parallelism, run.getValue());
        times.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(time);
        System.out.printf("round %d, %s: %.1f s%n", round, run.getKey(), time.toNanos() / 1e9);
      }
    }
    Benchmarks.printTable("commands", commands, times, parallelism, repeats);
  }

  private void rebuild(EmbeddedKafka kafka, long events, int parallelism, int repeats)
      throws Exception {
    long t0 = System.nanoTime();
    long accounts = writeEventStore(kafka.bootstrapServers(), events);
    System.out.printf(
        "wrote an event store of %,d events of %,d accounts in %.1f s%n",
        events, accounts, (System.nanoTime() - t0) / 1e9);
    Map<String, BiConsumer<StreamExecutionEnvironment, JobParameters>> rebuilds =
        new LinkedHashMap<>();
    rebuilds.put(
        "read + parse the event store (baseline)",
        (env, params) ->
            Input.readEveryRecord(
                    env,
                    AccountLedgerJob.Sources.kafka(params).events(),
                    params,
                    Topics.ACCOUNT_EVENTS)
                .events()
                .sinkTo(new DiscardingSink<>())
                .name("discard"));
    rebuilds.put(
        "--replay, balances exactly-once to Kafka",
        (env, params) ->
            AccountLedgerJob.build(
                env,
                params,
                AccountLedgerJob.Sources.kafka(params),
                AccountLedgerJob.Outputs.kafka(params)));
    System.out.println("warm-up rebuild ...");
    timedReplay(kafka, parallelism, rebuilds.get("--replay, balances exactly-once to Kafka"));
    Map<String, List<Duration>> rebuildTimes = new LinkedHashMap<>();
    for (int round = 1; round <= repeats; round++) {
      for (var run : rebuilds.entrySet()) {
        Duration time = timedReplay(kafka, parallelism, run.getValue());
        rebuildTimes.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(time);
        System.out.printf("round %d, %s: %.1f s%n", round, run.getKey(), time.toNanos() / 1e9);
      }
    }
    Benchmarks.printTable("events", events, rebuildTimes, parallelism, repeats);
  }

  private static void writeCommands(String bootstrap, long count) {
    AccountCommandsGenerator generator = new AccountCommandsGenerator(COMMANDS, Load.settings());
    Load.write(bootstrap, generator, COMMANDS, count);
  }

  /**
   * Writes {@code count} events, those the ledger appends for generated commands (decided here with
   * the job's own rules: this is a load, not a test), to {@link #STORE}; returns the number of
   * accounts.
   */
  private static long writeEventStore(String bootstrap, long count) {
    AccountCommandsGenerator generator = new AccountCommandsGenerator(STORE, Load.settings());
    Map<String, AccountBalance> accounts = new HashMap<>();
    Set<String> seen = new HashSet<>();
    long written = 0;
    try (KafkaProducer<byte[], byte[]> producer = Load.producer(bootstrap)) {
      for (long i = 0; written < count; i++) {
        RawRecord r = generator.map(i);
        AccountCommand command;
        try {
          command = Json.parse(r.value(), AccountCommand.class);
        } catch (IllegalArgumentException bad) {
          continue;
        }
        if (!seen.add(command.accountId() + "/" + command.commandId())) {
          continue;
        }
        AccountBalance account = accounts.get(command.accountId());
        Accounts.Decision decision = Accounts.decide(account, command);
        if (!decision.accepted()) {
          continue;
        }
        AccountEvent event = decision.event();
        accounts.put(command.accountId(), Accounts.apply(account, event));
        producer.send(
            new ProducerRecord<>(
                STORE, event.accountId().getBytes(StandardCharsets.UTF_8), Json.bytes(event)));
        written++;
      }
      producer.flush();
    }
    return accounts.size();
  }

  /**
   * Waits until {@code group}'s offsets of the transactional {@code topic} stop moving, once no
   * more is written to it: the projection has read it all. (They stop short of the end offsets: the
   * source commits the offset after the last record it read, and the transaction markers after it,
   * one per producer, are no records.)
   */
  private static void awaitProjected(
      EmbeddedKafka kafka, String group, String topic, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<org.apache.kafka.common.TopicPartition, Long> last = Map.of();
    int unchanged = 0;
    while (unchanged < 3) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the projection did not finish reading " + topic);
      }
      Thread.sleep(2_000); // two checkpoint intervals
      Map<org.apache.kafka.common.TopicPartition, Long> committed =
          kafka.topics().committedOffsets(group, topic);
      unchanged =
          committed.equals(last) && committed.values().stream().anyMatch(o -> o > 0)
              ? unchanged + 1
              : 0;
      last = committed;
    }
  }

  /** The live job's options over the commands, with fresh output topics and event store. */
  private JobParameters liveParams(
      EmbeddedKafka kafka, int parallelism, boolean bounded, String retention) {
    List<String> args =
        Benchmarks.commonArgs(
            kafka, parallelism, "bench-ledger-" + System.nanoTime(), checkpointDir, bounded);
    args.addAll(
        List.of(
            "--idempotency-retention", retention,
            "--topic.account-commands", COMMANDS,
            "--topic.account-events", fresh(kafka, "bench.account-events", 4),
            "--topic.command-rejections", fresh(kafka, "bench.command-rejections", 4),
            "--topic.balances", fresh(kafka, "bench.balances", 4),
            "--topic.dlq", fresh(kafka, "bench.dlq", 1),
            "--topic.late", fresh(kafka, "bench.late", 1)));
    return AccountLedgerJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  private Duration timedLive(
      EmbeddedKafka kafka,
      int parallelism,
      BiConsumer<StreamExecutionEnvironment, JobParameters> topology)
      throws Exception {
    return Benchmarks.timed(liveParams(kafka, parallelism, true, "7d"), parallelism, topology);
  }

  private Duration timedReplay(
      EmbeddedKafka kafka,
      int parallelism,
      BiConsumer<StreamExecutionEnvironment, JobParameters> topology)
      throws Exception {
    List<String> args =
        Benchmarks.commonArgs(
            kafka, parallelism, "bench-rebuild-" + System.nanoTime(), checkpointDir, true);
    args.addAll(
        List.of(
            "--replay",
            "true",
            "--topic.account-events",
            STORE,
            "--topic.balances",
            fresh(kafka, "bench.balances-rebuilt", 4)));
    JobParameters params = AccountLedgerJob.parameters(args.toArray(String[]::new)).orElseThrow();
    return Benchmarks.timed(params, parallelism, topology);
  }

  /**
   * Runs the live job unbounded until it has committed every command and every event it appended
   * (the projection has read them all back), then takes a savepoint and reports its size per
   * account. With a retention of 1 ms the commandIds expire as the watermark passes them, which
   * leaves the accounts' own state.
   */
  private void stateAfterReadingEverything(
      EmbeddedKafka kafka, long commands, int parallelism, String retention) throws Exception {
    JobParameters params = liveParams(kafka, parallelism, false, retention);
    StreamExecutionEnvironment env = Benchmarks.localEnvironment(params, parallelism);
    AccountLedgerJob.build(
        env,
        params,
        AccountLedgerJob.Sources.kafka(params),
        AccountLedgerJob.Outputs.kafka(params));
    JobClient job = env.executeAsync(params.runName());
    Path savepoints = Files.createTempDirectory("bench-ledger-savepoints-");
    String events = params.topic(Topics.ACCOUNT_EVENTS);
    try (Admin admin = kafka.topics().admin()) {
      Benchmarks.awaitCommitted(admin, params.runName(), COMMANDS, Duration.ofMinutes(10));
      // A checkpoint later the last events are committed; then the projection must read them.
      awaitProjected(kafka, params.runName(), events, Duration.ofMinutes(10));
      String savepoint =
          job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(5, TimeUnit.MINUTES);
      long bytes = Benchmarks.directorySize(Path.of(java.net.URI.create(savepoint)));
      long accounts =
          kafka.topics().readAll(params.topic(Topics.BALANCES)).stream()
              .map(r -> r.key())
              .distinct()
              .count();
      System.out.printf(
          "State after %,d commands, idempotency retention %s (canonical savepoint, parallelism"
              + " %d): %,.1f MiB for %,d accounts, %,.0f bytes per account%n",
          commands, retention, parallelism, bytes / 1048576.0, accounts, (double) bytes / accounts);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
      LocalResources.deleteRecursively(savepoints);
    }
  }
}
