package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The issuer's answer to a card transaction. */
public enum TransactionStatus implements WireEnum {
  APPROVED("approved"),
  DECLINED("declined");

  private final String wire;

  TransactionStatus(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static TransactionStatus fromWire(String text) {
    return WireEnum.parse(TransactionStatus.class, text);
  }
}
