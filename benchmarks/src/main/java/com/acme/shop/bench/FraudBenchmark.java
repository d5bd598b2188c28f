package com.acme.shop.bench;

import com.acme.shop.bench.Benchmarks.Row;
import com.acme.shop.datagen.GeneratorSettings;
import com.acme.shop.datagen.LoginsGenerator;
import com.acme.shop.datagen.PaymentsGenerator;
import com.acme.shop.flink.Input;
import com.acme.shop.fraud.FraudDetectionJob;
import com.acme.shop.fraud.SingleRules;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.EmbeddedKafka;
import com.acme.shop.testing.LocalResources;
import com.acme.shop.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Throughput of fraud-detection over generated transactions and logins, against a baseline of
 * reading and parsing both topics into a discarding sink, measured in the same run on the same
 * data: each rule alone on top of the baseline, the velocity rule's Flink SQL twin (a {@code HOP}
 * window with the same count and ids), and the whole job.
 */
final class FraudBenchmark {
  private FraudBenchmark() {}

  static final String BASELINE = "read + parse + route (baseline)";
  static final String TRANSACTIONS = "bench.transactions";
  static final String LOGINS = "bench.logins";

  /** {@code transactions} transactions and a quarter as many logins. */
  static void run(EmbeddedKafka kafka, long transactions, int parallelism, int repeats, String only)
      throws Exception {
    long logins = transactions / 4;
    kafka.topics().create(4, TRANSACTIONS, LOGINS, "bench.fraud-alerts");
    kafka.topics().create(1, "bench.fraud-dlq", "bench.fraud-late");
    GeneratorSettings settings = Load.settings();
    long loadStart = System.nanoTime();
    Load.write(
        kafka.bootstrapServers(),
        new PaymentsGenerator(TRANSACTIONS, settings),
        TRANSACTIONS,
        transactions);
    Load.write(kafka.bootstrapServers(), new LoginsGenerator(LOGINS, settings), LOGINS, logins);
    long events = transactions + logins;
    System.out.printf(
        "wrote %,d generated transactions and %,d logins (seed 1, 1%% planted patterns, 0.1%%"
            + " bad) in %.1f s%n",
        transactions, logins, (System.nanoTime() - loadStart) / 1e9);

    Map<String, BiConsumer<StreamExecutionEnvironment, JobParameters>> runs = new LinkedHashMap<>();
    runs.put(
        BASELINE,
        (env, params) -> {
          transactions(env, params).sinkTo(new DiscardingSink<>()).name("discard transactions");
          logins(env, params).sinkTo(new DiscardingSink<>()).name("discard logins");
        });
    for (var rule : SingleRules.all().entrySet()) {
      runs.put(
          "baseline + " + rule.getKey() + " only",
          (env, params) -> {
            DataStream<PaymentTransaction> txns = transactions(env, params);
            DataStream<LoginEvent> loginEvents = logins(env, params);
            rule.getValue().apply(txns, loginEvents).sinkTo(new DiscardingSink<>()).name("discard");
            // The other input is read too, as in the baseline.
            txns.sinkTo(new DiscardingSink<>()).name("discard transactions");
            loginEvents.sinkTo(new DiscardingSink<>()).name("discard logins");
          });
    }
    runs.put("baseline + velocity as Flink SQL (HOP)", FraudBenchmark::velocityInSql);
    runs.put(
        "fraud-detection, discarding sinks",
        (env, params) ->
            FraudDetectionJob.build(
                env,
                params,
                FraudDetectionJob.transactionSource(params),
                FraudDetectionJob.loginSource(params),
                FraudDetectionJob.Outputs.discarding()));
    runs.put(
        "fraud-detection, exactly-once to Kafka",
        (env, params) ->
            FraudDetectionJob.build(
                env,
                params,
                FraudDetectionJob.transactionSource(params),
                FraudDetectionJob.loginSource(params),
                FraudDetectionJob.Outputs.kafka(params)));
    BiConsumer<StreamExecutionEnvironment, JobParameters> wholeJob =
        runs.get("fraud-detection, discarding sinks");
    runs.keySet().removeIf(name -> !name.equals(BASELINE) && !name.contains(only));

    System.out.println("warm-up run ...");
    timed(kafka, parallelism, wholeJob);
    Map<String, List<Duration>> times = new LinkedHashMap<>();
    for (int round = 1; round <= repeats; round++) {
      for (var run : runs.entrySet()) {
        Duration time = timed(kafka, parallelism, run.getValue());
        times.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(time);
        System.out.printf("round %d, %s: %.1f s%n", round, run.getKey(), time.toNanos() / 1e9);
      }
    }
    List<Row> rows = new ArrayList<>();
    times.forEach((name, durations) -> rows.add(new Row(name, events, durations)));
    Benchmarks.printTable(rows, parallelism, repeats);
  }

  /**
   * The velocity rule as one Flink SQL statement over the same parsed transactions: a 60 s {@code
   * HOP} window every 10 s per card, the count and the ids, kept when the count is over 10.
   */
  private static void velocityInSql(StreamExecutionEnvironment env, JobParameters params) {
    DataStream<PaymentTransaction> txns = transactions(env, params);
    logins(env, params).sinkTo(new DiscardingSink<>()).name("discard logins");
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    tables.createTemporaryView(
        "transactions",
        tables.fromDataStream(
            txns.map(t -> new CardUse(t.txnId(), t.cardId()))
                .returns(CardUse.class)
                .name("to rows"),
            Schema.newBuilder()
                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                .watermark("rowtime", "SOURCE_WATERMARK()")
                .build()));
    Table alerts =
        tables.sqlQuery(
            "SELECT cardId, window_start, window_end, COUNT(*) AS cnt, LISTAGG(txnId) AS ids"
                + " FROM TABLE(HOP(TABLE transactions, DESCRIPTOR(rowtime),"
                + " INTERVAL '10' SECOND, INTERVAL '60' SECOND))"
                + " GROUP BY cardId, window_start, window_end HAVING COUNT(*) > 10");
    tables.toDataStream(alerts).sinkTo(new DiscardingSink<>()).name("discard");
  }

  /** What the SQL twin needs of a transaction: a POJO for the table conversion. */
  public static final class CardUse {
    public String txnId;
    public String cardId;

    public CardUse() {}

    CardUse(String txnId, String cardId) {
      this.txnId = txnId;
      this.cardId = cardId;
    }
  }

  private static DataStream<PaymentTransaction> transactions(
      StreamExecutionEnvironment env, JobParameters params) {
    return Input.read(env, FraudDetectionJob.transactionSource(params), params, Topics.TRANSACTIONS)
        .events();
  }

  private static DataStream<LoginEvent> logins(
      StreamExecutionEnvironment env, JobParameters params) {
    return Input.read(env, FraudDetectionJob.loginSource(params), params, Topics.LOGINS).events();
  }

  /** Flink may still be discarding old checkpoints when the job has ended: try a few times. */
  private static void deleteWhenFlinkIsDone(Path dir) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        LocalResources.deleteRecursively(dir);
        return;
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        if (attempt == 5) {
          System.out.println("could not delete " + dir + ": " + e.getMessage());
          return;
        }
        Thread.sleep(500);
      }
    }
  }

  private static Duration timed(
      EmbeddedKafka kafka,
      int parallelism,
      BiConsumer<StreamExecutionEnvironment, JobParameters> topology)
      throws Exception {
    String runName = "bench-" + System.nanoTime();
    // Checkpoints to files, as on the cluster: the job's state outgrows the 5 MiB that Flink's
    // default in-memory checkpoint storage accepts.
    Path checkpoints = Files.createTempDirectory("bench-checkpoints-");
    List<String> args =
        Benchmarks.commonArgs(kafka, parallelism, runName, checkpoints.toUri().toString(), true);
    args.addAll(
        List.of(
            "--topic.transactions",
            TRANSACTIONS,
            "--topic.logins",
            LOGINS,
            "--topic.alerts",
            "bench.fraud-alerts",
            "--topic.dlq",
            "bench.fraud-dlq",
            "--topic.late",
            "bench.fraud-late"));
    JobParameters params = FraudDetectionJob.parameters(args.toArray(String[]::new)).orElseThrow();
    StreamExecutionEnvironment env = Benchmarks.localEnvironment(params, parallelism);
    topology.accept(env, params);
    try {
      JobExecutionResult result = env.execute(runName);
      return Duration.ofMillis(result.getNetRuntime(TimeUnit.MILLISECONDS));
    } finally {
      deleteWhenFlinkIsDone(checkpoints);
    }
  }
}
