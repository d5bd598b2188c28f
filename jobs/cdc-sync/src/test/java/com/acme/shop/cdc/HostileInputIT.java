package com.acme.shop.cdc;

import static com.acme.shop.cdc.Envelopes.customer;
import static com.acme.shop.cdc.Envelopes.order;
import static com.acme.shop.cdc.Envelopes.product;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.Postgres;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad envelopes among valid changes on all three topics, in one bounded run on a MiniCluster
 * against a real broker: each lands once in {@code dlq.cdc-sync} with its reason, Debezium's
 * tombstones are skipped without a dead letter, the valid changes give exactly their read models,
 * and the job finishes without a restart.
 */
class HostileInputIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final Instant T = Envelopes.DAY;
  static final CustomerRow ADA = customer(1, "Ada", "DE", "GOLD");
  static final ProductRow BOOK = product(2, "books", "10.00");
  static final OrderRow ORDER = order(3, 1, 2, 2, "20.00", "NEW");
  static final OrderRow PAID = order(3, 1, 2, 2, "20.00", "PAID");
  static final String GOOD = Envelopes.envelope("u", ORDER, PAID, 300, T);

  /** Each poison record, keyed by its kind, and the start of its dead letter's reason. */
  record Poison(String topic, String kind, String value, String reason) {}

  static final List<Poison> POISON = new ArrayList<>();

  static void poison(String topic, String kind, String value, String reason) {
    POISON.add(new Poison(topic, kind, value, reason));
  }

  static {
    poison(
        "orders",
        "unknown-op",
        GOOD.replace("\"op\":\"u\"", "\"op\":\"t\""),
        "unknown ChangeOp 't'");
    poison(
        "orders",
        "create-without-after",
        Envelopes.envelope("c", null, null, 310, T),
        "missing required field 'after'");
    poison(
        "orders",
        "update-without-after",
        GOOD.replaceFirst("\"after\":\\{[^}]*\\}", "\"after\":null"),
        "missing required field 'after'");
    poison(
        "orders",
        "quantity-wrong-type",
        GOOD.replace(
            "\"quantity\":2,\"total\":\"20.00\",\"status\":\"PAID\"",
            "\"quantity\":\"two\",\"total\":\"20.00\",\"status\":\"PAID\""),
        "field 'after.quantity'");
    poison(
        "orders",
        "unknown-status",
        GOOD.replace("\"PAID\"", "\"LOST\""),
        "unknown OrderStatus 'LOST'");
    poison(
        "orders",
        "no-lsn",
        GOOD.replace(",\"lsn\":300", ""),
        "missing required field 'source.lsn'");
    poison("orders", "not-json", "{\"before\":", "not valid JSON");
    poison(
        "customers",
        "id-wrong-type",
        Envelopes.envelope("c", null, customer(9, "Eve", "FR", "GOLD"), 110, T)
            .replace("\"id\":9", "\"id\":{\"n\":9}"),
        "field 'after.id'");
    poison(
        "products",
        "price-not-a-number",
        Envelopes.envelope("c", null, product(8, "toys", "1.00"), 120, T)
            .replace("\"1.00\"", "\"cheap\""),
        "field 'price' is not a decimal amount: cheap");
  }

  static String topicOf(CdcTopics topics, String table) {
    return switch (table) {
      case "customers" -> topics.customers();
      case "products" -> topics.products();
      default -> topics.orders();
    };
  }

  @Test
  void badEnvelopesAreRoutedOnceEachAndTombstonesAreSkipped() throws Exception {
    TopicIO io = KAFKA.topics();
    CdcTopics topics = CdcTopics.unique().create(io, 1);
    Map<String, List<Message>> records = new LinkedHashMap<>();
    records.put("customers", new ArrayList<>(List.of(Envelopes.message("r", null, ADA, 100, T))));
    records.put("products", new ArrayList<>(List.of(Envelopes.message("r", null, BOOK, 100, T))));
    OrderRow gone = order(4, 1, 2, 1, "10.00", "NEW");
    records.put(
        "orders",
        new ArrayList<>(
            List.of(
                Envelopes.message("c", null, ORDER, 200, T),
                Envelopes.message("c", null, gone, 210, T),
                Envelopes.message("d", gone, null, 220, T),
                Envelopes.tombstone(gone))));
    for (Poison p : POISON) {
      records.get(p.topic()).add(Message.of(p.kind(), p.value()));
    }
    records.get("orders").add(Message.of(Envelopes.key(PAID), GOOD));
    records.forEach((table, messages) -> io.write(topicOf(topics, table), messages));

    JobParameters params =
        Cdc.params(KAFKA.bootstrapServers(), topics, TopicIO.unique("cdc-hostile"), "--bounded");
    Cdc.runBounded(FLINK, params);

    List<DeadLetter> deadLetters = deadLetters(io, topics);
    assertThat(deadLetters)
        .extracting(DeadLetter::key)
        .containsExactlyInAnyOrderElementsOf(POISON.stream().map(Poison::kind).toList());
    Map<String, DeadLetter> byKind =
        deadLetters.stream().collect(Collectors.toMap(DeadLetter::key, d -> d));
    for (Poison p : POISON) {
      DeadLetter d = byKind.get(p.kind());
      assertThat(d.error()).as(p.kind()).startsWith(p.reason());
      assertThat(d.sourceTopic()).as(p.kind()).isEqualTo(topicOf(topics, p.topic()));
      assertThat(d.value()).as(p.kind()).isEqualTo(p.value());
      assertThat(d.job()).isEqualTo("cdc-sync");
    }

    // The valid changes, and nothing of the deleted order.
    assertThat(Cdc.views(io, topics))
        .isEqualTo(ExpectedViews.of(Map.of(1L, ADA), Map.of(2L, BOOK), Map.of(3L, PAID)));
    assertThat(io.openTransactions(params.runName() + ".")).isEmpty();
  }

  /**
   * With {@code --read-model-jdbc-url}: two orders of 9,999,999,999.00, the most an order may
   * total, are valid in the change stream, in the Kafka read models and in orders_enriched, but
   * their category's revenue and their customer's total spent no longer fit {@code numeric(12,2)}.
   * Whichever contribution comes first still fits; each later one gives a dead letter per table,
   * and the job writes every other row and finishes without a restart.
   */
  @Test
  void rowsNoTableCanHoldAreDeadLettersAndEveryOtherRowIsWritten(@TempDir Path dir)
      throws Exception {
    try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
      TopicIO io = KAFKA.topics();
      CdcTopics topics = CdcTopics.unique().create(io, 1);
      io.write(topics.customers(), List.of(Envelopes.message("r", null, ADA, 100, T)));
      io.write(topics.products(), List.of(Envelopes.message("r", null, BOOK, 100, T)));
      io.write(
          topics.orders(),
          List.of(
              Envelopes.message("c", null, PAID, 200, T),
              Envelopes.message("c", null, order(5, 1, 2, 1, "9999999999.00", "PAID"), 210, T),
              Envelopes.message("c", null, order(6, 1, 2, 1, "9999999999.00", "PAID"), 220, T)));
      Path jdbc = Files.writeString(dir.resolve("jdbc.properties"), "password=shop");
      JobParameters params =
          Cdc.params(
              KAFKA.bootstrapServers(),
              topics,
              TopicIO.unique("cdc-too-big"),
              "--bounded",
              "--read-model-jdbc-url",
              pg.shopUrl(),
              "--read-model-jdbc-properties",
              jdbc.toString());
      Cdc.runBounded(FLINK, params);

      List<DeadLetter> deadLetters = deadLetters(io, topics);
      assertThat(deadLetters)
          .extracting(DeadLetter::sourceTopic)
          .containsExactlyInAnyOrder(
              "read_models.sales_by_category",
              "read_models.sales_by_category",
              "read_models.customer_summary",
              "read_models.customer_summary");
      assertThat(deadLetters)
          .allSatisfy(d -> assertThat(d.error()).contains("does not fit numeric(12,2)"));
      assertThat(Cdc.views(io, topics).byCategory().get("books").revenue())
          .isEqualByComparingTo("20000000018.00");
      try (Connection c = pg.shop();
          Statement st = c.createStatement();
          ResultSet r =
              st.executeQuery("SELECT order_id FROM read_models.orders_enriched ORDER BY 1")) {
        List<Long> ids = new ArrayList<>();
        while (r.next()) {
          ids.add(r.getLong(1));
        }
        assertThat(ids).containsExactly(3L, 5L, 6L);
      }
    }
  }

  static List<DeadLetter> deadLetters(TopicIO io, CdcTopics topics) {
    return io.readAll(topics.dlq()).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), DeadLetter.class))
        .toList();
  }
}
