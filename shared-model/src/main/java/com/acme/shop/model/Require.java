package com.acme.shop.model;

import java.math.BigDecimal;

/** Schema checks run by the events' constructors, so an event that exists is a valid one. */
public final class Require {
  private Require() {}

  public static <T> T present(T value, String field) {
    if (value == null) {
      throw new InvalidEventException("missing required field '" + field + "'");
    }
    return value;
  }

  public static String text(String value, String field) {
    if (present(value, field).isBlank()) {
      throw new InvalidEventException("field '" + field + "' must not be blank");
    }
    return value;
  }

  /** Money has at most two decimals; more is a producer bug, not a rounding opportunity. */
  public static BigDecimal money(BigDecimal value, String field) {
    if (value != null && value.stripTrailingZeros().scale() > 2) {
      throw new InvalidEventException(
          "field '" + field + "' has more than 2 decimals: " + value.toPlainString());
    }
    return value;
  }
}
