package com.acme.shop.model;

/** An enum whose JSON form is a fixed text from the contract rather than the constant's name. */
public interface WireEnum {
  String wire();

  static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(text)) {
        return e;
      }
    }
    throw new InvalidEventException(
        "unknown " + type.getSimpleName() + " '" + InvalidEventException.quote(text) + "'");
  }
}
