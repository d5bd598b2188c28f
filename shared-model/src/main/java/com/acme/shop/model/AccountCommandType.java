package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A command to the bank account aggregate. */
public enum AccountCommandType implements WireEnum {
  OPEN_ACCOUNT("OpenAccount"),
  DEPOSIT("Deposit"),
  WITHDRAW("Withdraw"),
  CLOSE_ACCOUNT("CloseAccount");

  private final String wire;

  AccountCommandType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static AccountCommandType fromWire(String text) {
    return WireEnum.parse(AccountCommandType.class, text);
  }
}
