package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where an order's payment stands in its saga ({@code orders.saga}'s {@code payment}). */
public enum PaymentStatus implements WireEnum {
  /** No answer from payments yet. */
  PENDING("PENDING"),
  AUTHORIZED("AUTHORIZED"),
  DECLINED("DECLINED"),
  /** Authorized, then given back by a {@code RefundPayment} because the order did not complete. */
  REFUNDED("REFUNDED");

  private final String wire;

  PaymentStatus(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static PaymentStatus fromWire(String text) {
    return WireEnum.parse(PaymentStatus.class, text);
  }
}
