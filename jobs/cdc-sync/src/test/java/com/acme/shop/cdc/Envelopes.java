package com.acme.shop.cdc;

import com.acme.shop.json.Json;
import com.acme.shop.model.Change;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import com.acme.shop.testing.TopicIO.Message;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debezium envelopes as the PostgreSQL connector writes them with the contract's settings (JSON
 * without schemas, decimals as strings, timestamptz as ISO text with microseconds), built from
 * rows, and parsed back through the job's own parser.
 */
final class Envelopes {
  private Envelopes() {}

  static final Instant DAY = Instant.parse("2026-11-23T09:00:00Z");

  static CustomerRow customer(long id, String name, String country, String tier) {
    return new CustomerRow(id, "c" + id + "@shop.test", name, country, tier, DAY);
  }

  static ProductRow product(long id, String category, String price) {
    return new ProductRow(id, "SKU-" + id, "product " + id, category, new BigDecimal(price), DAY);
  }

  static OrderRow order(
      long id, long customer, long product, int quantity, String total, String status) {
    return new OrderRow(
        id,
        customer,
        product,
        quantity,
        new BigDecimal(total),
        com.acme.shop.model.OrderStatus.fromWire(status),
        DAY.plusSeconds(id),
        DAY.plusSeconds(id + 1));
  }

  static Map<String, Object> columns(Object row) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (row instanceof CustomerRow r) {
      c.put("id", r.id());
      c.put("email", r.email());
      c.put("full_name", r.fullName());
      c.put("country", r.country());
      c.put("tier", r.tier());
      c.put("updated_at", micros(r.updatedAt()));
    } else if (row instanceof ProductRow r) {
      c.put("id", r.id());
      c.put("sku", r.sku());
      c.put("name", r.name());
      c.put("category", r.category());
      c.put("price", r.price().toPlainString());
      c.put("updated_at", micros(r.updatedAt()));
    } else if (row instanceof OrderRow r) {
      c.put("id", r.id());
      c.put("customer_id", r.customerId());
      c.put("product_id", r.productId());
      c.put("quantity", r.quantity());
      c.put("total", r.total().toPlainString());
      c.put("status", r.status().wire());
      c.put("created_at", micros(r.createdAt()));
      c.put("updated_at", micros(r.updatedAt()));
    } else {
      throw new IllegalArgumentException("not a row: " + row);
    }
    return c;
  }

  private static final java.time.format.DateTimeFormatter MICROS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  /** Debezium writes timestamptz with six fraction digits. */
  private static String micros(Instant t) {
    return t == null ? null : MICROS.format(t);
  }

  static String table(Object row) {
    return row instanceof CustomerRow
        ? "customers"
        : row instanceof ProductRow ? "products" : "orders";
  }

  /** The envelope of one change; {@code before} or {@code after} null as the op implies. */
  static String envelope(String op, Object before, Object after, long lsn, Instant commit) {
    Object row = after != null ? after : before;
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("version", "3.6.1.Final");
    source.put("connector", "postgresql");
    source.put("name", "shop");
    source.put("ts_ms", commit.toEpochMilli());
    source.put("snapshot", op.equals("r") ? "true" : "false");
    source.put("db", "shop");
    source.put("sequence", "[null,\"" + lsn + "\"]");
    source.put("ts_us", commit.toEpochMilli() * 1000);
    source.put("schema", "public");
    source.put("table", table(row));
    source.put("txId", 700 + lsn);
    source.put("lsn", lsn);
    source.put("xmin", null);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("before", before == null ? null : columns(before));
    e.put("after", after == null ? null : columns(after));
    e.put("source", source);
    e.put("transaction", null);
    e.put("op", op);
    e.put("ts_ms", commit.toEpochMilli() + 40);
    return Json.text(e);
  }

  static long id(Object row) {
    return row instanceof CustomerRow r
        ? r.id()
        : row instanceof ProductRow r ? r.id() : ((OrderRow) row).id();
  }

  /** Debezium's key: {@code {"id":17}}. */
  static String key(Object row) {
    return "{\"id\":" + id(row) + "}";
  }

  static Message message(String op, Object before, Object after, long lsn, Instant commit) {
    return Message.of(
        key(after != null ? after : before), envelope(op, before, after, lsn, commit));
  }

  /** The tombstone Debezium writes after a delete. */
  static Message tombstone(Object row) {
    return Message.of(key(row), null);
  }

  static <R> Change<R> parse(Class<R> rowType, String envelope) throws Exception {
    return CdcSyncJob.changes(rowType).parse(envelope.getBytes(StandardCharsets.UTF_8));
  }

  static Change<CustomerRow> customerChange(
      String op, CustomerRow before, CustomerRow after, long lsn) throws Exception {
    return parse(CustomerRow.class, envelope(op, before, after, lsn, DAY.plusMillis(lsn)));
  }

  static Change<ProductRow> productChange(String op, ProductRow before, ProductRow after, long lsn)
      throws Exception {
    return parse(ProductRow.class, envelope(op, before, after, lsn, DAY.plusMillis(lsn)));
  }

  static Change<OrderRow> orderChange(String op, OrderRow before, OrderRow after, long lsn)
      throws Exception {
    return parse(OrderRow.class, envelope(op, before, after, lsn, DAY.plusMillis(lsn)));
  }
}
