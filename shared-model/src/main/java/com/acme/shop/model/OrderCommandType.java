package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A command the order saga issues. */
public enum OrderCommandType implements WireEnum {
  SHIP_ORDER("ShipOrder"),
  REFUND_PAYMENT("RefundPayment"),
  RELEASE_INVENTORY("ReleaseInventory"),
  CANCEL_ORDER("CancelOrder");

  private final String wire;

  OrderCommandType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static OrderCommandType fromWire(String text) {
    return WireEnum.parse(OrderCommandType.class, text);
  }
}
