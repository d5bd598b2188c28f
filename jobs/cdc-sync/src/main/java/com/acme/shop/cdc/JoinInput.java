package com.acme.shop.cdc;

import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;

/** What an {@link OrderJoin} reads, keyed by order id: exactly one of the three is set. */
public record JoinInput(
    RowChange<OrderRow> order, RowFor<CustomerRow> customer, RowFor<ProductRow> product) {
  static JoinInput of(RowChange<OrderRow> order) {
    return new JoinInput(order, null, null);
  }

  static JoinInput customer(RowFor<CustomerRow> customer) {
    return new JoinInput(null, customer, null);
  }

  static JoinInput product(RowFor<ProductRow> product) {
    return new JoinInput(null, null, product);
  }

  long orderId() {
    return order != null ? order.id() : customer != null ? customer.orderId() : product.orderId();
  }
}
