package com.acme.shop.cdc;

import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.OrderStatus;
import com.acme.shop.model.ProductRow;
import com.acme.shop.testing.TopicIO.Message;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A shop database in memory that writes Debezium's change streams for a random workload: inserts,
 * updates and deletes of all three tables, orders moved between customers and products, products
 * moved between categories, orders of customers and products that do not exist (yet), rows deleted
 * and created again. It also plays Debezium's at-least-once delivery: a stretch of each topic sent
 * again, as after a Connect restart, and a re-snapshot of every row at the end.
 */
final class SimulatedShop {
  static final Instant DAY = Envelopes.DAY;
  static final String[] CATEGORIES = {"books", "garden", "toys", "tools", "media"};
  static final String[] TIERS = {"BRONZE", "SILVER", "GOLD"};
  static final String[] COUNTRIES = {"DE", "FR", "PL", "NL"};

  final Map<Long, CustomerRow> customers = new TreeMap<>();
  final Map<Long, ProductRow> products = new TreeMap<>();
  final Map<Long, OrderRow> orders = new TreeMap<>();
  final List<Message> customerTopic = new ArrayList<>();
  final List<Message> productTopic = new ArrayList<>();
  final List<Message> orderTopic = new ArrayList<>();

  /** The orders' changes once each, as a connector that never restarted would write them. */
  final List<Message> ordersOnce = new ArrayList<>();

  private final Random random;
  private long lsn = 1000;
  private long nextOrder = 1;
  private int statements;

  /** Ids of customers and products range over 1..customers and 1..products (a few missing). */
  private final int customerIds;

  private final int productIds;

  /** The share of statements on orders; the rest change customers and products. */
  private final int orderShare;

  SimulatedShop(long seed) {
    this(seed, 24, 14, 0);
  }

  /**
   * A shop of {@code customerIds} customers and {@code productIds} products where {@code
   * orderShare} % of the statements are on orders (0: the default mix, 66 %).
   */
  SimulatedShop(long seed, int customerIds, int productIds, int orderShare) {
    random = new Random(seed);
    this.customerIds = customerIds;
    this.productIds = productIds;
    this.orderShare = orderShare;
  }

  int statements() {
    return statements;
  }

  /** A snapshot of some seed rows, then {@code n} random statements. */
  SimulatedShop run(int n) {
    for (long id = 1; id <= customerIds - 4; id++) {
      write("r", customers, customerTopic, id, newCustomer(id));
    }
    for (long id = 1; id <= productIds - 2; id++) {
      write("r", products, productTopic, id, newProduct(id));
    }
    for (int i = 0; i < n; i++) {
      step();
      if (i == n / 2) {
        redeliver(customerTopic);
        redeliver(productTopic);
        redeliver(orderTopic);
      }
    }
    redeliver(orderTopic);
    // A new snapshot of every row, as after the slot or offsets were lost.
    customers.values().forEach(r -> snapshot(customerTopic, r));
    products.values().forEach(r -> snapshot(productTopic, r));
    orders.values().forEach(r -> snapshot(orderTopic, r));
    return this;
  }

  /** {@code n} more random statements, without redelivery: for volume. */
  SimulatedShop steps(int n) {
    for (int i = 0; i < n; i++) {
      step();
    }
    return this;
  }

  /** Forgets the changes written so far (after the caller sent them), keeping the tables. */
  void clearTopics() {
    customerTopic.clear();
    productTopic.clear();
    orderTopic.clear();
    ordersOnce.clear();
  }

  private void step() {
    statements++;
    int dice = random.nextInt(100);
    if (orderShare > 0) {
      // Scale the order statements (dice 0..65) to orderShare %, the others to the rest.
      dice =
          dice < orderShare
              ? dice * 66 / orderShare
              : 66 + (dice - orderShare) * 34 / (100 - orderShare);
    }
    if (dice < 30 || orders.isEmpty()) {
      long id = nextOrder++;
      write("c", orders, orderTopic, id, newOrder(id));
    } else if (dice < 55) {
      OrderRow o = pick(orders);
      OrderStatus status = OrderStatus.values()[random.nextInt(4)];
      int quantity = 1 + random.nextInt(5);
      write(
          "u",
          orders,
          orderTopic,
          o.id(),
          new OrderRow(
              o.id(),
              o.customerId(),
              o.productId(),
              quantity,
              new BigDecimal(quantity * 7).setScale(2).add(new BigDecimal("0.25")),
              status,
              o.createdAt(),
              now()));
    } else if (dice < 60) {
      OrderRow o = pick(orders); // moved to another customer and product
      write(
          "u",
          orders,
          orderTopic,
          o.id(),
          new OrderRow(
              o.id(),
              1L + random.nextInt(customerIds),
              1L + random.nextInt(productIds),
              o.quantity(),
              o.total(),
              o.status(),
              o.createdAt(),
              now()));
    } else if (dice < 66) {
      delete(orders, orderTopic, pick(orders).id());
    } else if (dice < 76 && !customers.isEmpty()) {
      CustomerRow c = pick(customers);
      write(
          "u",
          customers,
          customerTopic,
          c.id(),
          new CustomerRow(
              c.id(), c.email(), c.fullName() + "'", c.country(), TIERS[random.nextInt(3)], now()));
    } else if (dice < 86 && !products.isEmpty()) {
      ProductRow p = pick(products); // a price change or a category move
      write(
          "u",
          products,
          productTopic,
          p.id(),
          new ProductRow(
              p.id(),
              p.sku(),
              p.name(),
              random.nextBoolean() ? CATEGORIES[random.nextInt(CATEGORIES.length)] : p.category(),
              p.price().add(BigDecimal.ONE),
              now()));
    } else if (dice < 88 && !customers.isEmpty()) {
      delete(customers, customerTopic, pick(customers).id());
    } else if (dice < 89 && !products.isEmpty()) {
      delete(products, productTopic, pick(products).id());
    } else if (dice < 97) {
      long id = 1L + random.nextInt(customerIds); // created (again), or a customer orders wait for
      if (!customers.containsKey(id)) {
        write("c", customers, customerTopic, id, newCustomer(id));
      }
    } else {
      long id = 1L + random.nextInt(productIds);
      if (!products.containsKey(id)) {
        write("c", products, productTopic, id, newProduct(id));
      }
    }
  }

  private Instant now() {
    return DAY.plusMillis(lsn);
  }

  private CustomerRow newCustomer(long id) {
    return new CustomerRow(
        id,
        "c" + id + "@shop.test",
        "Customer " + id,
        COUNTRIES[random.nextInt(COUNTRIES.length)],
        TIERS[random.nextInt(3)],
        now());
  }

  private ProductRow newProduct(long id) {
    return new ProductRow(
        id,
        "SKU-" + id,
        "Product " + id,
        CATEGORIES[random.nextInt(CATEGORIES.length)],
        new BigDecimal(5 + random.nextInt(50)).setScale(2),
        now());
  }

  private OrderRow newOrder(long id) {
    int quantity = 1 + random.nextInt(5);
    return new OrderRow(
        id,
        1L + random.nextInt(customerIds), // now and then a customer that is not there
        1L + random.nextInt(productIds),
        quantity,
        new BigDecimal(quantity * 9).setScale(2),
        OrderStatus.NEW,
        now(),
        now());
  }

  /** The ids of the orders that exist, for a pick in constant time (a million steps). */
  private final List<Long> orderIds = new ArrayList<>();

  private final Map<Long, Integer> orderIndex = new java.util.HashMap<>();

  @SuppressWarnings("unchecked")
  private <R> R pick(Map<Long, R> rows) {
    if (rows == orders) {
      return (R) orders.get(orderIds.get(random.nextInt(orderIds.size())));
    }
    List<R> all = new ArrayList<>(rows.values());
    return all.get(random.nextInt(all.size()));
  }

  private void tracked(Map<Long, ?> table, long id, boolean exists) {
    if (table != orders || orderIndex.containsKey(id) == exists) {
      return;
    }
    if (exists) {
      orderIndex.put(id, orderIds.size());
      orderIds.add(id);
    } else {
      int at = orderIndex.remove(id);
      long last = orderIds.remove(orderIds.size() - 1);
      if (last != id) {
        orderIds.set(at, last);
        orderIndex.put(last, at);
      }
    }
  }

  private <R> void write(String op, Map<Long, R> table, List<Message> topic, long id, R after) {
    lsn += 1 + random.nextInt(20);
    R before = table.put(id, after);
    tracked(table, id, true);
    String realOp = op.equals("r") ? "r" : before == null ? "c" : "u";
    add(topic, Envelopes.message(realOp, before, after, lsn, now()));
  }

  private void add(List<Message> topic, Message message) {
    topic.add(message);
    if (topic == orderTopic) {
      ordersOnce.add(message);
    }
  }

  private <R> void delete(Map<Long, R> table, List<Message> topic, long id) {
    lsn += 1 + random.nextInt(20);
    R before = table.remove(id);
    tracked(table, id, false);
    add(topic, Envelopes.message("d", before, null, lsn, now()));
    add(topic, Envelopes.tombstone(before));
  }

  private <R> void snapshot(List<Message> topic, R row) {
    lsn += 1;
    topic.add(Envelopes.message("r", null, row, lsn, now()));
  }

  /** The last third of what the topic holds, once more: Debezium after a restart. */
  private void redeliver(List<Message> topic) {
    topic.addAll(new ArrayList<>(topic.subList(topic.size() * 2 / 3, topic.size())));
  }

  Cdc.Views expected() {
    return ExpectedViews.of(customers, products, orders);
  }
}
