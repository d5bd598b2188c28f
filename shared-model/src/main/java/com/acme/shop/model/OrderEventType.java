package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A domain event of the order saga, as the outbox publishes it. */
public enum OrderEventType implements WireEnum {
  ORDER_PLACED("OrderPlaced"),
  PAYMENT_AUTHORIZED("PaymentAuthorized"),
  PAYMENT_DECLINED("PaymentDeclined"),
  INVENTORY_RESERVED("InventoryReserved"),
  INVENTORY_REJECTED("InventoryRejected");

  private final String wire;

  OrderEventType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static OrderEventType fromWire(String text) {
    return WireEnum.parse(OrderEventType.class, text);
  }
}
