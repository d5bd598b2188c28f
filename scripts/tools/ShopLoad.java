/*
 * A shop's write load on the CDC stack's PostgreSQL (scripts/shop-load.sh runs it; so does
 * cdc-sync's end-to-end test), as transactions its services would write: new orders, payments,
 * shipments and cancellations, each with its outbox event (OrderPlaced, PaymentAuthorized,
 * InventoryReserved, PaymentDeclined) in the same transaction; quantity changes and orders moved to
 * another customer; price changes, category moves and tier changes; new customers and products;
 * order, customer and product deletes. Ids stay in small ranges, so orders meet deleted and
 * re-created customers and products.
 *
 *   java -cp "$SHOP_LIB_DIR/connect/*" scripts/tools/ShopLoad.java [--port 5433] [--rate 50]
 *       [--statements N] [--seed S]
 *
 * --rate is statements per second (0: as fast as the database takes them), --statements how many
 * to write before stopping (0: until killed). Prints what it wrote, every 10 s and at the end.
 * Exit codes: 0 done, 1 a database error.
 */

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.UUID;

public class ShopLoad {
  static final String[] CATEGORIES = {"books", "garden", "toys", "tools", "media", "games"};
  static final String[] TIERS = {"BRONZE", "SILVER", "GOLD"};
  static final String[] COUNTRIES = {"DE", "FR", "PL", "NL", "GB"};

  private final Random random;
  private long firstOrder;
  private long nextOrder;
  private long statements;
  private long events;
  private long transactions;

  ShopLoad(long seed) {
    random = new Random(seed);
  }

  public static void main(String[] args) throws Exception {
    int port = 5433;
    double rate = 50;
    long count = 0;
    long seed = System.nanoTime();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Double.parseDouble(args[i + 1]);
        case "--statements" -> count = Long.parseLong(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    ShopLoad load = new ShopLoad(seed);
    try (Connection c =
        DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/shop", "shop", "shop")) {
      load.run(c, count, rate);
    } catch (SQLException e) {
      System.err.println("PostgreSQL: " + e.getMessage());
      System.exit(1);
    }
  }

  void run(Connection c, long count, double rate) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT coalesce(max(id), 999) + 1 FROM orders")) {
      r.next();
      firstOrder = Math.max(1000, r.getLong(1));
      nextOrder = firstOrder;
    }
    c.setAutoCommit(false);
    long start = System.nanoTime();
    long report = start + 10_000_000_000L;
    while (count == 0 || statements < count) {
      if (rate > 0) {
        long due = start + (long) (statements / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      transaction(c);
      c.commit();
      transactions++;
      if (System.nanoTime() > report) {
        print(start);
        report += 10_000_000_000L;
      }
    }
    print(start);
  }

  private void print(long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "statements=%d transactions=%d outboxEvents=%d seconds=%.1f statementsPerSecond=%.0f%n",
        statements, transactions, events, seconds, statements / Math.max(seconds, 1e-9));
  }

  private void transaction(Connection c) throws SQLException {
    int dice = random.nextInt(100);
    if (dice < 25 || nextOrder < firstOrder + 50) {
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
    return firstOrder + random.nextInt((int) Math.max(1, nextOrder - firstOrder));
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
