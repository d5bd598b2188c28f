package com.acme.shop.model;

/** A record that parsed as JSON but breaks the contract's schema. */
public class InvalidEventException extends IllegalArgumentException {
  public InvalidEventException(String message) {
    super(message);
  }
}
