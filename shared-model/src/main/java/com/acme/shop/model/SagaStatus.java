package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where an order saga stands. */
public enum SagaStatus implements WireEnum {
  PENDING("PENDING"),
  COMPLETED("COMPLETED"),
  CANCELLED("CANCELLED"),
  TIMED_OUT("TIMED_OUT");

  private final String wire;

  SagaStatus(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static SagaStatus fromWire(String text) {
    return WireEnum.parse(SagaStatus.class, text);
  }
}
