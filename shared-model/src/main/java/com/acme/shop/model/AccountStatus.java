package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether an account accepts commands. */
public enum AccountStatus implements WireEnum {
  OPEN("OPEN"),
  CLOSED("CLOSED");

  private final String wire;

  AccountStatus(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static AccountStatus fromWire(String text) {
    return WireEnum.parse(AccountStatus.class, text);
  }
}
