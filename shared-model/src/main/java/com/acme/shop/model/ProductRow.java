package com.acme.shop.model;

import static com.acme.shop.model.Require.money;
import static com.acme.shop.model.Require.present;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/** A row of the {@code products} table; Debezium sends {@code numeric} as a decimal string. */
public record ProductRow(
    Long id,
    String sku,
    String name,
    String category,
    BigDecimal price,
    @JsonProperty("updated_at") Instant updatedAt) {
  public ProductRow {
    present(id, "id");
    price = money(price, "price");
  }
}
