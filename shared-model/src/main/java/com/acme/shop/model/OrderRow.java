package com.acme.shop.model;

import static com.acme.shop.model.Require.money;
import static com.acme.shop.model.Require.present;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/** A row of the {@code orders} table. */
public record OrderRow(
    Long id,
    @JsonProperty("customer_id") Long customerId,
    @JsonProperty("product_id") Long productId,
    Integer quantity,
    BigDecimal total,
    OrderStatus status,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {
  public OrderRow {
    present(id, "id");
    total = money(total, "total");
  }
}
