package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a card was used. */
public enum Channel implements WireEnum {
  POS("pos"),
  ONLINE("online");

  private final String wire;

  Channel(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static Channel fromWire(String text) {
    return WireEnum.parse(Channel.class, text);
  }
}
