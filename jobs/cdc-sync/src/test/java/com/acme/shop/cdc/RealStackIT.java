package com.acme.shop.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.model.CategorySales;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.model.OrderStatus;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.Postgres;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real stack end to end: PostgreSQL (from Maven, on a free port) with the schema of {@code
 * scripts/conf/cdc-schema.sql}, Kafka Connect with Debezium's table and outbox connectors
 * configured by the files in {@code scripts/conf/} in a child JVM, the test's broker, and the job
 * on a MiniCluster. Some thousands of statements are written while Connect is killed with {@code
 * kill -9} and restarted in the middle; afterwards the compacted read models equal PostgreSQL's own
 * views over its tables, live and after a bounded rebuild into fresh topics, and every outbox row
 * is exactly once on {@code orders.events}.
 */
class RealStackIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Path CONF = Path.of(System.getProperty("cdc.conf", "../../scripts/conf"));
  static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);
  static final int STATEMENTS = 3000;

  /** Logs and data of one run, kept under target/ for a look after a failure. */
  final Path dir = Path.of("target", "real-stack", "run-" + System.currentTimeMillis());

  @Test
  void readModelsEqualPostgresViewsThroughAConnectKillAndARebuild() throws Exception {
    TopicIO io = KAFKA.topics();
    JobClient job = null;
    try (Postgres pg = Postgres.start(dir.resolve("pg"), CONF.resolve("cdc-schema.sql"));
        ConnectWorker connect =
            new ConnectWorker(dir.resolve("connect"), CONF, KAFKA.bootstrapServers(), pg.port())) {
      connect.start();
      connect.configure("cdc-tables-connector.properties");
      connect.configure("cdc-outbox-connector.properties");
      connect.awaitRunning("shop-tables", START_TIMEOUT);
      connect.awaitRunning("shop-outbox", START_TIMEOUT);
      awaitSlots(connect, pg, true);

      CdcTopics topics = liveTopics(io);
      // The snapshot of the seed rows creates the table topics.
      connect.await(
          "the snapshot on " + topics.orders(),
          START_TIMEOUT,
          () ->
              topicExists(io, topics.orders()) && !io.readAll(topics.orders()).isEmpty()
                  ? true
                  : null);
      // The read models also go into PostgreSQL's read_models tables; the password from a file.
      Files.createDirectories(dir);
      Path jdbcProperties =
          Files.writeString(dir.resolve("read-models.properties"), "password=shop");
      String[] tables = {
        "--read-model-jdbc-url",
        pg.shopUrl(),
        "--read-model-jdbc-properties",
        jdbcProperties.toString()
      };
      JobParameters live =
          Cdc.params(KAFKA.bootstrapServers(), topics, TopicIO.unique("cdc-live"), tables);
      job = Cdc.start(live);

      // The load of scripts/shop-load.sh, in two runs; Connect is killed with kill -9 while the
      // second is writing, and started again.
      Path tools = CONF.resolveSibling("tools");
      String first = ConnectWorker.shopLoad(dir, tools, pg.port(), STATEMENTS / 2, 17);
      CompletableFuture<String> second =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ConnectWorker.shopLoad(dir, tools, pg.port(), STATEMENTS / 2, 18);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      connect.kill();
      awaitSlots(connect, pg, false);
      connect.start();
      connect.awaitRunning("shop-tables", START_TIMEOUT);
      connect.awaitRunning("shop-outbox", START_TIMEOUT);
      assertThat(statements(first) + statements(second.get())).isGreaterThanOrEqualTo(STATEMENTS);

      Cdc.Views expected = sqlViews(pg);
      assertThat(expected.enriched()).hasSizeGreaterThan(50);
      Cdc.Views actual =
          connect.await(
              "the read models to equal the SQL views",
              CATCH_UP_TIMEOUT,
              () -> {
                Cdc.Views now = Cdc.views(io, topics);
                return now.equals(expected) ? now : null;
              });
      assertThat(actual).isEqualTo(expected);
      // The tables follow the topics: the same rows, deletes gone.
      Cdc.Views inTables =
          connect.await(
              "the read-model tables to equal the SQL views",
              CATCH_UP_TIMEOUT,
              () -> {
                Cdc.Views now = sqlViews(pg, "read_models.");
                return now.equals(expected) ? now : null;
              });
      assertThat(inTables).isEqualTo(expected);
      assertOutboxExactlyOnce(io, pg);
      job.cancel().get();
      job = null;

      // A rebuild: fresh topics, and the tables truncated and refilled by the same bounded replay.
      try (Connection c = pg.shop();
          Statement s = c.createStatement()) {
        s.execute(
            "TRUNCATE read_models.orders_enriched, read_models.sales_by_category,"
                + " read_models.customer_summary");
      }
      CdcTopics rebuilt = topics.withFreshOutputs(io, 2);
      List<String> rebuild = new ArrayList<>(List.of("--bounded"));
      rebuild.addAll(List.of(tables));
      Cdc.runBounded(
          FLINK,
          Cdc.params(
              KAFKA.bootstrapServers(),
              rebuilt,
              TopicIO.unique("cdc-rebuild"),
              rebuild.toArray(String[]::new)));
      assertThat(sqlViews(pg, "read_models.")).isEqualTo(expected);
      Cdc.Views again = Cdc.views(io, rebuilt);
      assertThat(again.enriched()).isEqualTo(expected.enriched());
      assertThat(again.byCategory()).isEqualTo(expected.byCategory());
      assertThat(again.summary()).isEqualTo(expected.summary());
      assertThat(io.readAll(topics.dlq())).isEmpty();
    } finally {
      if (job != null) {
        job.cancel().get();
      }
    }
  }

  /** The statements a ShopLoad run says it wrote. */
  static long statements(String summary) {
    return Long.parseLong(summary.replaceAll(".*statements=(\\d+).*", "$1"));
  }

  /** The Debezium topics as the connector names them; fresh output topics. */
  static CdcTopics liveTopics(TopicIO io) {
    CdcTopics fresh = CdcTopics.unique();
    CdcTopics topics =
        new CdcTopics(
            "shop.public.customers",
            "shop.public.products",
            "shop.public.orders",
            fresh.enriched(),
            fresh.byCategory(),
            fresh.summary(),
            fresh.dlq());
    io.create(2, topics.enriched(), topics.byCategory(), topics.summary());
    io.create(1, topics.dlq());
    return topics;
  }

  static boolean topicExists(TopicIO io, String topic) throws Exception {
    try (var admin = io.admin()) {
      return admin.listTopics().names().get().contains(topic);
    }
  }

  static void awaitSlots(ConnectWorker connect, Postgres pg, boolean active) throws Exception {
    connect.await(
        "both replication slots " + (active ? "active" : "inactive"),
        START_TIMEOUT,
        () -> {
          Map<String, Boolean> slots = pg.slots();
          return slots.keySet().equals(Set.of("shop_tables", "shop_outbox"))
                  && slots.values().stream().allMatch(a -> a == active)
              ? true
              : null;
        });
  }

  /** The read models as PostgreSQL computes them: the views of cdc-schema.sql. */
  static Cdc.Views sqlViews(Postgres pg) throws SQLException {
    return sqlViews(pg, "");
  }

  /**
   * The read models as the relations {@code <prefix>orders_enriched}, ... hold them: the views of
   * cdc-schema.sql with no prefix, the job's tables with {@code read_models.}.
   */
  static Cdc.Views sqlViews(Postgres pg, String prefix) throws SQLException {
    Map<String, OrderEnriched> enriched = new TreeMap<>();
    Map<String, CategorySales> byCategory = new TreeMap<>();
    Map<String, CustomerSummary> summary = new TreeMap<>();
    try (Connection c = pg.shop();
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT * FROM " + prefix + "orders_enriched")) {
        while (r.next()) {
          long id = r.getLong("order_id");
          enriched.put(
              Long.toString(id),
              new OrderEnriched(
                  id,
                  OrderStatus.fromWire(r.getString("status")),
                  r.getInt("quantity"),
                  r.getBigDecimal("total"),
                  r.getLong("customer_id"),
                  r.getString("customer_name"),
                  r.getString("customer_country"),
                  r.getString("customer_tier"),
                  r.getLong("product_id"),
                  r.getString("product_name"),
                  r.getString("category"),
                  r.getObject("created_at", OffsetDateTime.class).toInstant(),
                  r.getObject("updated_at", OffsetDateTime.class).toInstant()));
        }
      }
      try (ResultSet r = s.executeQuery("SELECT * FROM " + prefix + "sales_by_category")) {
        while (r.next()) {
          byCategory.put(
              r.getString("category"),
              new CategorySales(
                  r.getString("category"),
                  r.getLong("orders"),
                  r.getLong("units"),
                  r.getBigDecimal("revenue")));
        }
      }
      try (ResultSet r = s.executeQuery("SELECT * FROM " + prefix + "customer_summary")) {
        while (r.next()) {
          long id = r.getLong("customer_id");
          summary.put(
              Long.toString(id),
              new CustomerSummary(
                  id,
                  r.getLong("orders"),
                  r.getBigDecimal("total_spent"),
                  r.getObject("last_order_at", OffsetDateTime.class).toInstant()));
        }
      }
    }
    return new Cdc.Views(enriched, byCategory, summary);
  }

  /** Every outbox row once on orders.events, keyed by its order, nothing else there. */
  static void assertOutboxExactlyOnce(TopicIO io, Postgres pg) throws Exception {
    Map<String, String> expected = new TreeMap<>();
    try (Connection c = pg.shop();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id, aggregateid FROM outbox")) {
      while (r.next()) {
        expected.put(r.getString(1), r.getString(2));
      }
    }
    assertThat(expected).hasSizeGreaterThan(300);
    List<String> ids = new ArrayList<>();
    Map<String, String> keys = new TreeMap<>();
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    List<Received> events;
    do {
      events = io.readAll("orders.events");
    } while (events.size() < expected.size() && System.nanoTime() < deadline && pause());
    for (Received r : events) {
      JsonNode event = Json.mapper().readTree(r.value());
      ids.add(event.get("eventId").asText());
      keys.put(event.get("eventId").asText(), r.key());
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(ids)).isEqualTo(expected.keySet());
    assertThat(keys).isEqualTo(expected);
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(500); // polling a topic for a condition, not synchronizing
    return true;
  }
}
