package com.acme.shop.cdc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.UUID;

/**
 * A shop's write load on the real database, in transactions as its services would write them: new
 * orders, payments, shipments and cancellations, each with its outbox event in the same
 * transaction; quantity changes and orders moved to another customer; price changes, category moves
 * and tier changes; new customers and products; order, customer and product deletes. Ids stay in
 * small ranges so that orders meet deleted and re-created customers and products.
 */
final class ShopWorkload {
  static final String[] CATEGORIES = {"books", "garden", "toys", "tools", "media", "games"};
  static final String[] TIERS = {"BRONZE", "SILVER", "GOLD"};
  static final String[] COUNTRIES = {"DE", "FR", "PL", "NL", "GB"};

  private final Random random;
  private long nextOrder = 1000;
  private int statements;
  private int events;

  ShopWorkload(long seed) {
    random = new Random(seed);
  }

  int statements() {
    return statements;
  }

  int outboxEvents() {
    return events;
  }

  /** Runs transactions until {@code statements} statements more have been executed. */
  void run(Connection c, int count) throws SQLException {
    c.setAutoCommit(false);
    int until = statements + count;
    while (statements < until) {
      transaction(c);
      c.commit();
    }
  }

  private void transaction(Connection c) throws SQLException {
    int dice = random.nextInt(100);
    if (dice < 25 || nextOrder < 1050) {
      long order = nextOrder++;
      long customer = 1 + random.nextInt(40);
      int quantity = 1 + random.nextInt(4);
      BigDecimal total = new BigDecimal(quantity * (5 + random.nextInt(60))).setScale(2);
      exec(
          c,
          "INSERT INTO orders (id, customer_id, product_id, quantity, total, status)"
              + " VALUES (?, ?, ?, ?, ?, 'NEW')",
          order,
          customer,
          1L + random.nextInt(30),
          quantity,
          total);
      outbox(c, order, "OrderPlaced", customer, total);
    } else if (dice < 50) {
      long order = someOrder();
      String[] step = {
        "PAID", "PaymentAuthorized", "SHIPPED", "InventoryReserved", "CANCELLED", "PaymentDeclined"
      };
      int i = random.nextInt(3) * 2;
      if (exec(
              c,
              "UPDATE orders SET status = ?, updated_at = date_trunc('milliseconds', now())"
                  + " WHERE id = ?",
              step[i],
              order)
          > 0) {
        outbox(c, order, step[i + 1], null, null);
      }
    } else if (dice < 58) {
      int quantity = 1 + random.nextInt(6);
      exec(
          c,
          "UPDATE orders SET quantity = ?, total = ?, updated_at = date_trunc('milliseconds',"
              + " now()) WHERE id = ?",
          quantity,
          new BigDecimal(quantity * 11).setScale(2),
          someOrder());
    } else if (dice < 61) {
      exec(
          c,
          "UPDATE orders SET customer_id = ?, updated_at = date_trunc('milliseconds', now())"
              + " WHERE id = ?",
          1L + random.nextInt(40),
          someOrder());
    } else if (dice < 66) {
      exec(c, "DELETE FROM orders WHERE id = ?", someOrder());
    } else if (dice < 74) {
      exec(
          c,
          "UPDATE products SET price = price + 1, updated_at = date_trunc('milliseconds', now())"
              + " WHERE id = ?",
          1L + random.nextInt(30));
    } else if (dice < 79) {
      exec(
          c,
          "UPDATE products SET category = ?, updated_at = date_trunc('milliseconds', now())"
              + " WHERE id = ?",
          CATEGORIES[random.nextInt(CATEGORIES.length)],
          1L + random.nextInt(30));
    } else if (dice < 86) {
      exec(
          c,
          "UPDATE customers SET tier = ?, full_name = full_name || '.', updated_at ="
              + " date_trunc('milliseconds', now()) WHERE id = ?",
          TIERS[random.nextInt(TIERS.length)],
          1L + random.nextInt(40));
    } else if (dice < 94) {
      long id = 1 + random.nextInt(40);
      exec(
          c,
          "INSERT INTO customers (id, email, full_name, country, tier) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (id) DO NOTHING",
          id,
          "c" + id + "@shop.test",
          "Customer " + id,
          COUNTRIES[random.nextInt(COUNTRIES.length)],
          TIERS[random.nextInt(TIERS.length)]);
      long p = 1 + random.nextInt(30);
      exec(
          c,
          "INSERT INTO products (id, sku, name, category, price) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (id) DO NOTHING",
          p,
          "SKU-" + p,
          "Product " + p,
          CATEGORIES[random.nextInt(CATEGORIES.length)],
          new BigDecimal(3 + random.nextInt(90)).setScale(2));
    } else if (dice < 97) {
      exec(c, "DELETE FROM customers WHERE id = ?", 1L + random.nextInt(40));
    } else {
      exec(c, "DELETE FROM products WHERE id = ?", 1L + random.nextInt(30));
    }
  }

  private long someOrder() {
    return 1000 + random.nextInt((int) Math.max(1, nextOrder - 1000));
  }

  private void outbox(Connection c, long order, String type, Long customer, BigDecimal amount)
      throws SQLException {
    UUID id = new UUID(random.nextLong(), random.nextLong());
    String payload =
        "{\"eventId\":\"%s\",\"orderId\":\"%d\",\"type\":\"%s\",\"customerId\":%s,\"amount\":%s}"
            .formatted(
                id,
                order,
                type,
                customer == null ? "null" : "\"" + customer + "\"",
                amount == null ? "null" : amount.toPlainString());
    exec(
        c,
        "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload)"
            + " VALUES (?, 'orders', ?, ?, jsonb_set(?::jsonb, '{eventTime}',"
            + " to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))))",
        id,
        Long.toString(order),
        type,
        payload);
    events++;
  }

  private int exec(Connection c, String sql, Object... args) throws SQLException {
    statements++;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    }
  }
}
