package com.acme.shop.flink;

import java.io.Serializable;
import java.time.Duration;

/**
 * The arithmetic of the project's watermark, shared by {@link StepWatermarks} (per Kafka partition,
 * in the source) and {@link RouteParsedRecords} (per Kafka partition, in the router), so the two
 * always agree on where a partition's watermark is.
 *
 * <p>The watermark is the highest timestamp seen minus the out-of-orderness bound, minus 1 ms,
 * rounded down to a whole step: {@code floor((maxTimestamp - outOfOrderness) / step) * step - 1}.
 * With a step of one second and whole-second timestamps that is exactly {@code maxTimestamp -
 * outOfOrderness - 1 ms}; otherwise it lags by less than one step more.
 *
 * <p>Steps lie on a fixed grid rather than counting from the last watermark so that the watermark
 * is a function of the highest timestamp alone, whatever came before. A source restored from a
 * checkpoint starts its generators afresh and sees only the records after the checkpoint: on the
 * grid its watermark can then only be at or behind the restored router's, never ahead by a fraction
 * of a step, so no window downstream fires earlier than in a run without the restart.
 */
public final class SteppedWatermark implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No watermark yet: no timestamp has been seen. */
  public static final long NONE = Long.MIN_VALUE;

  private final long outOfOrdernessMs;
  private final long stepMs;

  public SteppedWatermark(Duration outOfOrderness, Duration step) {
    this.outOfOrdernessMs = outOfOrderness.toMillis();
    this.stepMs = Math.max(1, step.toMillis());
  }

  /**
   * The watermark after {@code timestamp} arrives at a stream whose watermark is {@code watermark}
   * ({@link #NONE} before the first timestamp). It never moves back.
   */
  public long advance(long watermark, long timestamp) {
    if (timestamp < Long.MIN_VALUE + outOfOrdernessMs + stepMs) {
      // No event time (see Watermarks.NO_EVENT_TIME), or too small to yield any watermark.
      return watermark;
    }
    long candidate = Math.floorDiv(timestamp - outOfOrdernessMs, stepMs) * stepMs - 1;
    return Math.max(watermark, candidate);
  }
}
