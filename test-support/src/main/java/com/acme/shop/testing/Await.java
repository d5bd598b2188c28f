package com.acme.shop.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests on a condition, never on a fixed sleep. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds; fails, naming {@code what}, after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(250);
    }
  }
}
