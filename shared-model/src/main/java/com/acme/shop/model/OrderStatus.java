package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The status column of the orders table. */
public enum OrderStatus implements WireEnum {
  NEW("NEW"),
  PAID("PAID"),
  SHIPPED("SHIPPED"),
  CANCELLED("CANCELLED");

  private final String wire;

  OrderStatus(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static OrderStatus fromWire(String text) {
    return WireEnum.parse(OrderStatus.class, text);
  }
}
