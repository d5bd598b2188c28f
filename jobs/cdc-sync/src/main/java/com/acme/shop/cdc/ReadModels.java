package com.acme.shop.cdc;

import com.acme.shop.model.CategorySales;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.OrderStatus;
import com.acme.shop.model.ProductRow;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The three read models: what one order contributes to each. */
final class ReadModels {
  private ReadModels() {}

  /** A read model, by the logical name of its topic (what {@code --read-models} lists). */
  enum Model {
    ORDERS_ENRICHED("orders-enriched"),
    SALES_BY_CATEGORY("sales-by-category"),
    CUSTOMER_SUMMARY("customer-summary");

    final String topicName;

    Model(String topicName) {
      this.topicName = topicName;
    }

    @Override
    public String toString() {
      return topicName;
    }
  }

  /** {@code orders-enriched,customer-summary} to the models; {@code all} for every one. */
  static Set<Model> parse(String text) {
    if (text.trim().toLowerCase(Locale.ROOT).equals("all")) {
      return EnumSet.allOf(Model.class);
    }
    Set<Model> models = EnumSet.noneOf(Model.class);
    for (String name : text.split(",")) {
      String wanted = name.trim();
      models.add(
          Arrays.stream(Model.values())
              .filter(m -> m.topicName.equals(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown read model '"
                              + wanted
                              + "', expected "
                              + Arrays.stream(Model.values())
                                  .map(Model::toString)
                                  .collect(Collectors.joining(", "))
                              + " or all")));
    }
    return models;
  }

  /** The inner join of an order with its current customer and product; null without both. */
  static OrderEnriched enriched(OrderRow order, CustomerRow customer, ProductRow product) {
    if (customer == null || product == null) {
      return null;
    }
    return new OrderEnriched(
        order.id(),
        order.status(),
        order.quantity(),
        order.total(),
        order.customerId(),
        customer.fullName(),
        customer.country(),
        customer.tier(),
        order.productId(),
        product.name(),
        product.category(),
        order.createdAt(),
        order.updatedAt());
  }

  /** A non-cancelled order counts in its product's current category (none without a product). */
  static Contribution toCategory(OrderRow order, CustomerRow unused, ProductRow product) {
    if (product == null || product.category() == null || !counts(order)) {
      return null;
    }
    return contribution(product.category(), order);
  }

  /** A non-cancelled order counts for its customer, whether or not the customer row exists. */
  static Contribution toCustomer(OrderRow order) {
    if (order == null || order.customerId() == null || !counts(order)) {
      return null;
    }
    return contribution(Long.toString(order.customerId()), order);
  }

  private static boolean counts(OrderRow order) {
    return order.status() != OrderStatus.CANCELLED;
  }

  private static Contribution contribution(String group, OrderRow order) {
    return new Contribution(
        group,
        order.quantity() == null ? 0 : order.quantity(),
        order.total() == null ? BigDecimal.ZERO.setScale(2) : order.total(),
        order.createdAt());
  }

  static CategorySales categorySales(Totals t) {
    return new CategorySales(t.group(), t.orders(), t.units(), t.amount());
  }

  static CustomerSummary customerSummary(Totals t) {
    return new CustomerSummary(Long.parseLong(t.group()), t.orders(), t.amount(), t.last());
  }
}
