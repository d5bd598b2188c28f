package com.acme.shop.model;

import static com.acme.shop.model.InvalidEventException.quote;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Schema checks run by the events' constructors, so an event that exists is a valid one. */
public final class Require {
  private Require() {}

  /** Money is what Postgres {@code numeric(12,2)} holds: at most 10 integer digits, 2 decimals. */
  public static final int MONEY_INTEGER_DIGITS = 10;

  public static final int MONEY_DECIMALS = 2;

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

  /**
   * An amount of money, or null when absent, with exactly two decimals ({@code 12.5} and {@code
   * 12.500} become {@code 12.50}), so it is written back as the contract shows it. More decimals
   * are a producer bug, not a rounding opportunity. Checked with digit counts only: an amount such
   * as {@code 1e-999999999} is short as JSON but would be a gigabyte written out in full.
   */
  public static BigDecimal money(BigDecimal value, String field) {
    if (value == null) {
      return null;
    }
    if (value.signum() == 0) {
      return BigDecimal.ZERO.setScale(MONEY_DECIMALS); // 0E-999999999 is zero, whatever its scale
    }
    // A non-zero value has precision - scale digits before the point (<= 0 when below 1).
    long integerDigits = (long) value.precision() - value.scale();
    if (integerDigits > MONEY_INTEGER_DIGITS) {
      throw new InvalidEventException(
          "field '"
              + field
              + "' is out of range (more than "
              + MONEY_INTEGER_DIGITS
              + " integer digits): "
              + quote(value));
    }
    if (value.scale() > MONEY_DECIMALS) {
      // Dropping decimals needs that many trailing zeros; fewer digits than that cannot have them,
      // and the check also keeps the division below no larger than the value itself.
      long decimalsToDrop = (long) value.scale() - MONEY_DECIMALS;
      if (value.precision() <= decimalsToDrop) {
        throw tooManyDecimals(value, field);
      }
      try {
        return value.setScale(MONEY_DECIMALS, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw tooManyDecimals(value, field);
      }
    }
    return value.setScale(MONEY_DECIMALS);
  }

  /** {@link #money}, for an amount that may not be negative, such as a payment. */
  public static BigDecimal nonNegativeMoney(BigDecimal value, String field) {
    BigDecimal money = money(value, field);
    if (money != null && money.signum() < 0) {
      throw new InvalidEventException(
          "field '" + field + "' must not be negative: " + quote(money));
    }
    return money;
  }

  private static InvalidEventException tooManyDecimals(BigDecimal value, String field) {
    return new InvalidEventException(
        "field '" + field + "' has more than " + MONEY_DECIMALS + " decimals: " + quote(value));
  }
}
