package com.acme.shop.cdc;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.Postgres;
import com.acme.shop.testing.TopicIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Measurements for the job's README, not tests (they assert nothing about timings, and run only
 * with {@code -Dcdc.measure=true}): the latency from a commit in PostgreSQL to the read-model
 * record, with exactly-once and with at-least-once sinks; the Postgres to Kafka rate of the stack;
 * the job's throughput on a bounded replay of a million change events. Figures go to stdout.
 *
 * <pre>mvn -B -pl jobs/cdc-sync -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dfailsafe.failIfNoSpecifiedTests=false \
 *   -Dit.test=CdcMeasureIT -Dcdc.measure=true -Dtest.heap=3g</pre>
 *
 * <p>The replay holds about 330,000 live orders in the job's heap state, beside the test's broker
 * and its own copy of the shop: with the default 1 GB test heap it spends its time in garbage
 * collection until the task manager's heartbeat times out.
 */
@EnabledIfSystemProperty(named = "cdc.measure", matches = "true")
class CdcMeasureIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Path CONF = Path.of(System.getProperty("cdc.conf", "../../scripts/conf"));
  final Path dir = Path.of("target", "measure", "run-" + System.currentTimeMillis());

  static void report(String line) {
    System.out.println("MEASURE " + line);
  }

  @Test
  void theRealStack() throws Exception {
    TopicIO io = KAFKA.topics();
    try (Postgres pg = Postgres.start(dir.resolve("pg"), CONF.resolve("cdc-schema.sql"));
        ConnectWorker connect =
            new ConnectWorker(dir.resolve("connect"), CONF, KAFKA.bootstrapServers(), pg.port())) {
      connect.start();
      connect.configure("cdc-tables-connector.properties");
      connect.configure("cdc-outbox-connector.properties");
      connect.awaitRunning("shop-tables", Duration.ofMinutes(3));
      connect.awaitRunning("shop-outbox", Duration.ofMinutes(3));
      RealStackIT.awaitSlots(connect, pg, true);
      connect.await(
          "the snapshot",
          Duration.ofMinutes(3),
          () -> RealStackIT.topicExists(io, "shop.public.orders") ? true : null);

      if (!Boolean.getBoolean("cdc.measure.rate-only")) {
        for (String guarantee : List.of("exactly-once", "at-least-once")) {
          latency(io, pg, guarantee, 2000);
        }
        tableLatency(io, pg, 2000);
      }
      rate(io, pg, 200_000);
    }
  }

  /** Commit of an order insert to its cdc.orders-enriched record, one transaction each. */
  void latency(TopicIO io, Postgres pg, String guarantee, int orders) throws Exception {
    CdcTopics topics = RealStackIT.liveTopics(io);
    JobParameters params =
        Cdc.params(
            KAFKA.bootstrapServers(),
            topics,
            TopicIO.unique("cdc-latency"),
            "--delivery-guarantee",
            guarantee,
            "--checkpoint-interval",
            "1s");
    JobClient job = Cdc.start(params);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer();
        Connection c = pg.shop()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.enriched()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      long firstId = 900_000 + (guarantee.length() * 100_000L);
      Map<String, Long> committed = new HashMap<>();
      Map<String, Long> seen = new HashMap<>();
      // Warm-up: one order through, so the job runs and holds customer 1 and product 1.
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO orders (id, customer_id, product_id, quantity, total, status)"
                + " VALUES ("
                + (firstId - 1)
                + ", 1, 1, 1, 9.99, 'NEW')");
      }
      long warmUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!seen.containsKey(Long.toString(firstId - 1)) && System.nanoTime() < warmUp) {
        poll(consumer, seen, Duration.ofMillis(200));
      }
      Map<Long, Long> commits =
          insertOrders(c, firstId, orders, () -> poll(consumer, seen, Duration.ZERO));
      commits.forEach((id, at) -> committed.put(Long.toString(id), at));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!seen.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
        poll(consumer, seen, Duration.ofMillis(200));
      }
      report(
          "latency "
              + guarantee
              + " (checkpoint 1 s): "
              + delays(
                  committed, seen, "order inserts at 50/s, commit to cdc.orders-enriched record"));
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Commit of an order insert to its row in read_models.orders_enriched (the job with
   * --read-model-jdbc-url), one transaction each at 50/s; the table is polled every 10 ms.
   */
  void tableLatency(TopicIO io, Postgres pg, int orders) throws Exception {
    CdcTopics topics = RealStackIT.liveTopics(io);
    Path jdbcProperties = Files.writeString(dir.resolve("jdbc.properties"), "password=shop");
    JobParameters params =
        Cdc.params(
            KAFKA.bootstrapServers(),
            topics,
            TopicIO.unique("cdc-table-latency"),
            "--checkpoint-interval",
            "1s",
            "--read-model-jdbc-url",
            pg.shopUrl(),
            "--read-model-jdbc-properties",
            jdbcProperties.toString());
    JobClient job = Cdc.start(params);
    long firstId = 700_000;
    Map<Long, Long> committed = new HashMap<>();
    Map<Long, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean polling =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread poller =
        new Thread(
            () -> {
              try (Connection q = pg.shop();
                  PreparedStatement select =
                      q.prepareStatement(
                          "SELECT order_id FROM read_models.orders_enriched WHERE order_id >= ?")) {
                select.setLong(1, firstId - 1);
                while (polling.get()) {
                  try (java.sql.ResultSet r = select.executeQuery()) {
                    long now = System.currentTimeMillis();
                    while (r.next()) {
                      seen.putIfAbsent(r.getLong(1), now);
                    }
                  }
                  Thread.sleep(10);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "table-poller");
    try (Connection c = pg.shop()) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO orders (id, customer_id, product_id, quantity, total, status)"
                + " VALUES ("
                + (firstId - 1)
                + ", 1, 1, 1, 9.99, 'NEW')");
      }
      poller.start();
      long warmUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!seen.containsKey(firstId - 1) && System.nanoTime() < warmUp) {
        Thread.sleep(50);
      }
      committed.putAll(insertOrders(c, firstId, orders, () -> {}));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!seen.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      report(
          "latency to the table: "
              + delays(
                  committed,
                  seen,
                  "order inserts at 50/s, commit to its row in read_models.orders_enriched"
                      + " (polled every 10 ms)"));
    } finally {
      polling.set(false);
      poller.join(5_000);
      job.cancel().get();
    }
  }

  /**
   * The JDBC sink alone: {@code rows} upserts of orders_enriched rows (each key 5 times, the last
   * 10% tombstones) from memory into the table, parallelism 2, as fast as it goes.
   */
  @Test
  void theUpsertRateIntoPostgres() throws Exception {
    int rows = Integer.getInteger("cdc.measure.upserts", 200_000);
    Files.createDirectories(dir);
    try (Postgres pg = Postgres.start(dir.resolve("pg-upserts"))) {
      Path jdbcProperties = Files.writeString(dir.resolve("upserts.properties"), "password=shop");
      JobParameters params =
          Cdc.params(
              KAFKA.bootstrapServers(),
              CdcTopics.unique(),
              TopicIO.unique("upserts"),
              "--read-model-jdbc-url",
              pg.shopUrl(),
              "--read-model-jdbc-properties",
              jdbcProperties.toString());
      com.acme.shop.jdbc.ReadModelDatabase.migrate(params, Map.of());
      List<com.acme.shop.flink.Upsert<com.acme.shop.model.OrderEnriched>> input =
          new java.util.ArrayList<>();
      java.time.Instant t = java.time.Instant.parse("2026-11-23T09:00:00Z");
      for (int i = 0; i < rows; i++) {
        long id = i % (rows / 5);
        boolean tombstone = i >= rows * 9 / 10;
        input.add(
            new com.acme.shop.flink.Upsert<>(
                Long.toString(id),
                tombstone
                    ? null
                    : new com.acme.shop.model.OrderEnriched(
                        id,
                        com.acme.shop.model.OrderStatus.PAID,
                        1 + i % 5,
                        new java.math.BigDecimal("19.90"),
                        id % 100,
                        "Ada Lovelace",
                        "GB",
                        "GOLD",
                        id % 50,
                        "The Analytical Engine",
                        "books",
                        t,
                        t.plusMillis(i))));
      }
      var env =
          com.acme.shop.flink.JobEnvironment.configure(
              org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                  .getExecutionEnvironment(),
              params);
      var stream =
          env.fromData(input, CdcSyncJob.ORDERS_ENRICHED.type())
              .setParallelism(1)
              .keyBy(com.acme.shop.flink.Upsert::key)
              .map(u -> u, CdcSyncJob.ORDERS_ENRICHED.type());
      com.acme.shop.jdbc.ReadModelSinks.write(
              stream,
              com.acme.shop.jdbc.ReadModelTables.ORDERS_ENRICHED,
              "orders_enriched",
              params,
              CdcSyncJob.ORDERS_ENRICHED.type())
          .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
      long start = System.nanoTime();
      env.execute("upserts");
      double seconds = (System.nanoTime() - start) / 1e9;
      report(
          String.format(
              "upserts into read_models.orders_enriched (JDBC sink, batches of 1000, parallelism"
                  + " 2): %d statements in %.1f s = %.0f statements/s, job start included",
              rows, seconds, rows / seconds));
    }
  }

  /**
   * Inserts orders {@code firstId}, {@code firstId + 1}, ... at 50 commits/s, one transaction each,
   * running {@code afterEach} after every commit; returns each order's commit time (epoch ms).
   */
  static Map<Long, Long> insertOrders(Connection c, long firstId, int orders, Runnable afterEach)
      throws Exception {
    Map<Long, Long> committed = new HashMap<>();
    c.setAutoCommit(false);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO orders (id, customer_id, product_id, quantity, total, status)"
                + " VALUES (?, 1, 1, 1, 9.99, 'NEW')")) {
      long next = System.nanoTime();
      for (int i = 0; i < orders; i++) {
        next += 20_000_000L; // 50 commits/s
        insert.setLong(1, firstId + i);
        insert.executeUpdate();
        c.commit();
        committed.put(firstId + i, System.currentTimeMillis());
        afterEach.run();
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000);
        }
      }
    }
    return committed;
  }

  static void poll(KafkaConsumer<byte[], byte[]> consumer, Map<String, Long> seen, Duration d) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(d)) {
      seen.putIfAbsent(new String(r.key(), StandardCharsets.UTF_8), System.currentTimeMillis());
    }
  }

  /**
   * "n of m what: p50 …, p99 …, max …": the delays from each commit (epoch ms, by key) to when its
   * record was seen, over the records that were.
   */
  static <K> String delays(Map<K, Long> committed, Map<K, Long> seen, String what) {
    long[] ms =
        committed.entrySet().stream()
            .filter(e -> seen.containsKey(e.getKey()))
            .mapToLong(e -> seen.get(e.getKey()) - e.getValue())
            .sorted()
            .toArray();
    if (ms.length == 0) {
      throw new AssertionError("none of the " + committed.size() + " " + what + " was seen");
    }
    return String.format(
        "%d of %d %s: p50 %d ms, p99 %d ms, max %d ms",
        ms.length,
        committed.size(),
        what,
        percentile(ms, 50),
        percentile(ms, 99),
        ms[ms.length - 1]);
  }

  static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Rows committed in one statement until all are on the table's topic. */
  void rate(TopicIO io, Postgres pg, int rows) throws Exception {
    long before = end(io, "shop.public.orders");
    long start;
    try (Connection c = pg.shop();
        Statement s = c.createStatement()) {
      start = System.nanoTime();
      s.execute(
          "INSERT INTO orders (id, customer_id, product_id, quantity, total, status)"
              // Above every id the latency runs use (up to 2.2 million).
              + " SELECT 5000000 + g, 1 + g % 40, 1 + g % 30, 1, 5.00, 'NEW'"
              + " FROM generate_series(1, "
              + rows
              + ") g");
    }
    long committed = System.nanoTime();
    long deadline = committed + Duration.ofMinutes(5).toNanos();
    while (end(io, "shop.public.orders") - before < rows && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long done = System.nanoTime();
    report(
        "Postgres to Kafka: "
            + rows
            + " rows of one INSERT on shop.public.orders "
            + (done - committed) / 1_000_000
            + " ms after the commit (insert took "
            + (committed - start) / 1_000_000
            + " ms): "
            + (long) (rows / ((done - committed) / 1e9))
            + " rows/s");
  }

  static long end(TopicIO io, String topic) {
    return io.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * A bounded replay of a million change events ({@code -Dcdc.measure.events} to change it) through
   * all three read models.
   */
  @Test
  void aBoundedReplayOfAMillionChanges() throws Exception {
    TopicIO io = KAFKA.topics();
    CdcTopics topics = CdcTopics.unique().create(io, 2);
    // 2 000 customers, 500 products, 95 % of the statements on orders.
    SimulatedShop shop = new SimulatedShop(99, 2000, 500, 95);
    shop.run(0);
    long events = 0;
    long wanted = Long.getLong("cdc.measure.events", 1_000_000);
    while (events < wanted) {
      shop.steps(50_000);
      io.write(topics.customers(), shop.customerTopic);
      io.write(topics.products(), shop.productTopic);
      io.write(topics.orders(), shop.orderTopic);
      events += shop.customerTopic.size() + shop.productTopic.size() + shop.orderTopic.size();
      shop.clearTopics();
    }
    for (String guarantee : List.of("exactly-once")) {
      CdcTopics run = topics.withFreshOutputs(io, 2);
      long start = System.nanoTime();
      Cdc.runBounded(
          FLINK,
          Cdc.params(
              KAFKA.bootstrapServers(),
              run,
              TopicIO.unique("cdc-replay"),
              "--bounded",
              "--delivery-guarantee",
              guarantee,
              // Checkpoints of state this size belong in files (docs/operations.md).
              "--checkpoint-dir",
              dir.resolve("checkpoints").toAbsolutePath().toUri().toString(),
              "--checkpoint-interval",
              "30s"),
          Duration.ofMinutes(15));
      double seconds = (System.nanoTime() - start) / 1e9;
      long outputs =
          Arrays.stream(new String[] {run.enriched(), run.byCategory(), run.summary()})
              .mapToLong(t -> end(io, t))
              .sum();
      report(
          String.format(
              "bounded replay (%s, parallelism 2): %d change records (tombstones included) in %.1f s"
                  + " = %.0f records/s, %d output records",
              guarantee, events, seconds, events / seconds, outputs));
    }
  }
}
