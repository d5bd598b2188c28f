package com.acme.shop.kafka;

import java.util.List;

/** Every topic of the contract, declared once. Jobs pick theirs by reference. */
public final class Topics {
  private Topics() {}

  // CDC inputs
  public static final TopicName CUSTOMERS = new TopicName("customers", "shop.public.customers");
  public static final TopicName PRODUCTS = new TopicName("products", "shop.public.products");
  public static final TopicName ORDERS = new TopicName("orders", "shop.public.orders");

  // Domain-event inputs
  public static final TopicName TRANSACTIONS =
      new TopicName("transactions", "payments.transactions");
  public static final TopicName LOGINS = new TopicName("logins", "auth.logins");
  public static final TopicName CLICKSTREAM = new TopicName("clickstream", "web.clickstream");
  public static final TopicName ACCOUNT_COMMANDS =
      new TopicName("account-commands", "bank.account-commands");
  public static final TopicName ORDER_EVENTS = new TopicName("order-events", "orders.events");

  // Outputs
  public static final TopicName ORDERS_ENRICHED =
      new TopicName("orders-enriched", "cdc.orders-enriched");
  public static final TopicName SALES_BY_CATEGORY =
      new TopicName("sales-by-category", "cdc.sales-by-category");
  public static final TopicName CUSTOMER_SUMMARY =
      new TopicName("customer-summary", "cdc.customer-summary");
  public static final TopicName FRAUD_ALERTS = new TopicName("alerts", "fraud.alerts");
  public static final TopicName PAGE_VIEWS = new TopicName("page-views", "activity.page-views");
  public static final TopicName EVENT_RATES = new TopicName("event-rates", "activity.event-rates");
  public static final TopicName SESSIONS = new TopicName("sessions", "activity.sessions");
  public static final TopicName CART_ABANDONMENT =
      new TopicName("cart-abandonment", "activity.cart-abandonment");
  public static final TopicName BOT_ALERTS = new TopicName("alerts", "activity.alerts");
  public static final TopicName ACCOUNT_EVENTS =
      new TopicName("account-events", "bank.account-events");
  public static final TopicName COMMAND_REJECTIONS =
      new TopicName("command-rejections", "bank.command-rejections");
  public static final TopicName BALANCES = new TopicName("balances", "bank.balances");
  public static final TopicName SAGA = new TopicName("saga", "orders.saga");
  public static final TopicName ORDER_COMMANDS = new TopicName("commands", "orders.commands");
  public static final TopicName PAYMENT_LATENCY =
      new TopicName("payment-latency", "orders.payment-latency");

  public static final List<String> PROCESSING_JOBS =
      List.of("cdc-sync", "fraud-detection", "activity-monitor", "account-ledger", "order-saga");

  /** {@code dlq.<job>}: records the job could not parse or that break the schema. */
  public static TopicName deadLetters(String job) {
    return new TopicName("dlq", "dlq." + job);
  }

  /** {@code late.<job>}: records later than the job's watermark allows, as received. */
  public static TopicName late(String job) {
    return new TopicName("late", "late." + job);
  }

  /** Every input and output topic of every job, for tools that create them. */
  public static List<TopicName> all() {
    List<TopicName> all =
        new java.util.ArrayList<>(
            List.of(
                CUSTOMERS,
                PRODUCTS,
                ORDERS,
                TRANSACTIONS,
                LOGINS,
                CLICKSTREAM,
                ACCOUNT_COMMANDS,
                ORDER_EVENTS,
                ORDERS_ENRICHED,
                SALES_BY_CATEGORY,
                CUSTOMER_SUMMARY,
                FRAUD_ALERTS,
                PAGE_VIEWS,
                EVENT_RATES,
                SESSIONS,
                CART_ABANDONMENT,
                BOT_ALERTS,
                ACCOUNT_EVENTS,
                COMMAND_REJECTIONS,
                BALANCES,
                SAGA,
                ORDER_COMMANDS,
                PAYMENT_LATENCY));
    for (String job : PROCESSING_JOBS) {
      all.add(deadLetters(job));
      all.add(late(job));
    }
    return List.copyOf(all);
  }

  /** The domain-event input topics, which the datagen job writes. */
  public static List<TopicName> domainInputs() {
    return List.of(TRANSACTIONS, LOGINS, CLICKSTREAM, ACCOUNT_COMMANDS, ORDER_EVENTS);
  }
}
