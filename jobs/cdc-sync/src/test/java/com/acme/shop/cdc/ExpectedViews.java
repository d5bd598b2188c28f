package com.acme.shop.cdc;

import com.acme.shop.model.CategorySales;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.OrderStatus;
import com.acme.shop.model.ProductRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read models computed from the final tables, as the SQL views over them would be, without any
 * of the job's incremental code: a join and two GROUP BYs over the rows that exist at the end.
 */
final class ExpectedViews {
  private ExpectedViews() {}

  static Cdc.Views of(
      Map<Long, CustomerRow> customers,
      Map<Long, ProductRow> products,
      Map<Long, OrderRow> orders) {
    Map<String, OrderEnriched> enriched = new TreeMap<>();
    Map<String, CategorySales> byCategory = new TreeMap<>();
    Map<String, CustomerSummary> summary = new TreeMap<>();
    for (OrderRow o : orders.values()) {
      CustomerRow c = customers.get(o.customerId());
      ProductRow p = products.get(o.productId());
      if (c != null && p != null) {
        enriched.put(
            Long.toString(o.id()),
            new OrderEnriched(
                o.id(),
                o.status(),
                o.quantity(),
                o.total(),
                o.customerId(),
                c.fullName(),
                c.country(),
                c.tier(),
                o.productId(),
                p.name(),
                p.category(),
                o.createdAt(),
                o.updatedAt()));
      }
      if (o.status() == OrderStatus.CANCELLED) {
        continue;
      }
      if (p != null) {
        byCategory.merge(
            p.category(),
            new CategorySales(p.category(), 1, o.quantity(), o.total()),
            (a, b) ->
                new CategorySales(
                    a.category(),
                    a.orders() + b.orders(),
                    a.units() + b.units(),
                    a.revenue().add(b.revenue())));
      }
      summary.merge(
          Long.toString(o.customerId()),
          new CustomerSummary(o.customerId(), 1, o.total(), o.createdAt()),
          (a, b) ->
              new CustomerSummary(
                  a.customerId(),
                  a.orders() + b.orders(),
                  a.totalSpent().add(b.totalSpent()),
                  max(a.lastOrderAt(), b.lastOrderAt())));
    }
    return new Cdc.Views(enriched, byCategory, summary);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  static BigDecimal money(String text) {
    return new BigDecimal(text).setScale(2);
  }
}
