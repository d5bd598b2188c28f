package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A fact recorded in the bank's event store. */
public enum AccountEventType implements WireEnum {
  ACCOUNT_OPENED("AccountOpened"),
  MONEY_DEPOSITED("MoneyDeposited"),
  MONEY_WITHDRAWN("MoneyWithdrawn"),
  ACCOUNT_CLOSED("AccountClosed");

  private final String wire;

  AccountEventType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static AccountEventType fromWire(String text) {
    return WireEnum.parse(AccountEventType.class, text);
  }
}
