package com.acme.shop.cdc;

import com.acme.shop.testing.TopicIO;
import java.util.List;

/** Fresh topics for one run of the job, and the options that point the job at them. */
record CdcTopics(
    String customers,
    String products,
    String orders,
    String enriched,
    String byCategory,
    String summary,
    String dlq) {

  static CdcTopics unique() {
    return new CdcTopics(
        TopicIO.unique("customers"),
        TopicIO.unique("products"),
        TopicIO.unique("orders"),
        TopicIO.unique("orders-enriched"),
        TopicIO.unique("sales-by-category"),
        TopicIO.unique("customer-summary"),
        TopicIO.unique("dlq"));
  }

  /** Creates every topic: inputs and outputs with {@code partitions}, the dlq with one. */
  CdcTopics create(TopicIO io, int partitions) {
    io.create(partitions, customers, products, orders, enriched, byCategory, summary);
    io.create(1, dlq);
    return this;
  }

  /** The same inputs with fresh output topics: for a rebuild next to the first run's. */
  CdcTopics withFreshOutputs(TopicIO io, int partitions) {
    CdcTopics fresh =
        new CdcTopics(
            customers,
            products,
            orders,
            TopicIO.unique("orders-enriched-rebuilt"),
            TopicIO.unique("sales-by-category-rebuilt"),
            TopicIO.unique("customer-summary-rebuilt"),
            TopicIO.unique("dlq-rebuilt"));
    io.create(partitions, fresh.enriched, fresh.byCategory, fresh.summary);
    io.create(1, fresh.dlq);
    return fresh;
  }

  List<String> options() {
    return List.of(
        "--topic.customers", customers,
        "--topic.products", products,
        "--topic.orders", orders,
        "--topic.orders-enriched", enriched,
        "--topic.sales-by-category", byCategory,
        "--topic.customer-summary", summary,
        "--topic.dlq", dlq);
  }
}
