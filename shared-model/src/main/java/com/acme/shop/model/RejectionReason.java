package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why the account aggregate refused a command. */
public enum RejectionReason implements WireEnum {
  ACCOUNT_EXISTS("ACCOUNT_EXISTS"),
  NO_SUCH_ACCOUNT("NO_SUCH_ACCOUNT"),
  ACCOUNT_CLOSED("ACCOUNT_CLOSED"),
  INSUFFICIENT_FUNDS("INSUFFICIENT_FUNDS"),
  INVALID_AMOUNT("INVALID_AMOUNT"),
  NONZERO_BALANCE("NONZERO_BALANCE");

  private final String wire;

  RejectionReason(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static RejectionReason fromWire(String text) {
    return WireEnum.parse(RejectionReason.class, text);
  }
}
