package com.acme.shop.saga;

import java.io.Serializable;
import java.time.Duration;

/**
 * The saga's rules in numbers, from the job's options.
 *
 * @param timeout how long after its placement (event time) an order has to be paid and reserved
 * @param unknownOrderWait how long (event time) an event for an order not yet placed is held for
 *     its {@code OrderPlaced}
 * @param retention how long (event time) a finished saga is remembered, so that a late success
 *     still gets its compensation
 * @param wallClockWhenIdle whether deadlines follow the wall clock while the whole input is idle
 */
public record SagaSettings(
    Duration timeout, Duration unknownOrderWait, Duration retention, boolean wallClockWhenIdle)
    implements Serializable {
  public SagaSettings {
    requirePositive(timeout, "saga-timeout");
    requirePositive(unknownOrderWait, "unknown-order-wait");
    requirePositive(retention, "saga-retention");
  }

  /** The contract's numbers: 15 minutes to finish; the defaults of the job's options otherwise. */
  public static SagaSettings contract() {
    return new SagaSettings(
        OrderSagaJob.TIMEOUT.defaultValue(),
        OrderSagaJob.UNKNOWN_ORDER_WAIT.defaultValue(),
        OrderSagaJob.RETENTION.defaultValue(),
        false);
  }

  private static void requirePositive(Duration d, String option) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--" + option + " must be positive, not " + d);
    }
  }
}
