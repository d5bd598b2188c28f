package com.acme.shop.model;

/** A record that parsed as JSON but breaks the contract's schema. */
public class InvalidEventException extends IllegalArgumentException {
  /** How much of an offending value a message shows: enough to recognise it, never all of it. */
  public static final int MAX_QUOTED_CHARS = 40;

  public InvalidEventException(String message) {
    super(message);
  }

  /**
   * The start of an offending value for a message: messages end up in dead letters, and the value
   * may be a megabyte of text.
   */
  public static String quote(Object value) {
    return truncate(String.valueOf(value), MAX_QUOTED_CHARS);
  }

  /** {@code text} cut to at most about {@code maxChars}, with a mark saying it was cut. */
  public static String truncate(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never split a character in two
    }
    return text.substring(0, end) + "... (" + text.length() + " chars)";
  }
}
