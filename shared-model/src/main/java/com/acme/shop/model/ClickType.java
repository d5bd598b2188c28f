package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of a clickstream event. */
public enum ClickType implements WireEnum {
  PAGE_VIEW("page_view"),
  SEARCH("search"),
  ADD_TO_CART("add_to_cart"),
  REMOVE_FROM_CART("remove_from_cart"),
  CHECKOUT("checkout"),
  PURCHASE("purchase");

  private final String wire;

  ClickType(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static ClickType fromWire(String text) {
    return WireEnum.parse(ClickType.class, text);
  }
}
