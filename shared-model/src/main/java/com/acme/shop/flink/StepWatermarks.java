package com.acme.shop.flink;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks emitted by the records themselves, in steps.
 *
 * <p>The watermark is the highest event time seen minus the out-of-orderness bound, minus 1 ms.
 * Unlike Flink's periodic generator it advances only as records arrive, never on a wall-clock
 * timer, so replaying a partition yields the same watermarks, and the same late records, however
 * fast the job reads. It moves in steps of at least {@code step} of event time so a fast stream
 * does not carry a watermark per record; the watermark therefore lags by at most one step more.
 */
public final class StepWatermarks<T> implements WatermarkGenerator<T> {
  private final long outOfOrdernessMs;
  private final long stepMs;
  private long maxTimestamp = Long.MIN_VALUE;
  private long emitted = Long.MIN_VALUE;

  public StepWatermarks(Duration outOfOrderness, Duration step) {
    this.outOfOrdernessMs = outOfOrderness.toMillis();
    this.stepMs = Math.max(1, step.toMillis());
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    if (eventTimestamp <= maxTimestamp) {
      return;
    }
    maxTimestamp = eventTimestamp;
    long watermark = maxTimestamp - outOfOrdernessMs - 1;
    if (emitted == Long.MIN_VALUE || watermark >= emitted + stepMs) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // Nothing: see the class comment. Idleness is still detected by the periodic timer.
  }
}
