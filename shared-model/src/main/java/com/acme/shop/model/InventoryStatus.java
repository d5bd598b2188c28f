package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an order's stock reservation stands in its saga ({@code orders.saga}'s {@code inventory}).
 */
public enum InventoryStatus implements WireEnum {
  /** No answer from inventory yet. */
  PENDING("PENDING"),
  RESERVED("RESERVED"),
  REJECTED("REJECTED"),
  /** Reserved, then given back by a {@code ReleaseInventory} because the order did not complete. */
  RELEASED("RELEASED");

  private final String wire;

  InventoryStatus(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static InventoryStatus fromWire(String text) {
    return WireEnum.parse(InventoryStatus.class, text);
  }
}
