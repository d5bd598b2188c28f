package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Debezium's operation code. */
public enum ChangeOp implements WireEnum {
  READ("r"),
  CREATE("c"),
  UPDATE("u"),
  DELETE("d");

  private final String wire;

  ChangeOp(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static ChangeOp fromWire(String text) {
    return WireEnum.parse(ChangeOp.class, text);
  }
}
