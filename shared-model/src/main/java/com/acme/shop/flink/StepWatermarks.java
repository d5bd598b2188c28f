package com.acme.shop.flink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks emitted by the records themselves, in whole steps (see {@link
 * SteppedWatermark} for the arithmetic).
 *
 * <p>Unlike Flink's periodic generator the watermark advances only as records arrive, never on a
 * wall-clock timer, so replaying a partition yields the same watermarks, and the same late records,
 * however fast the job reads. It moves in whole steps of event time so a fast stream does not carry
 * a watermark per record.
 *
 * <p>The periodic call never moves the watermark, but it does repeat the current one when records
 * arrived since the last periodic call. Flink's idleness wrapper marks a silent partition idle and
 * only a watermark makes it active again; without the repeat a partition that wakes up would stay
 * idle, and not hold the subtask's watermark back, until its records moved the watermark a whole
 * step. Repeating a value already emitted changes nothing else.
 */
public final class StepWatermarks<T> implements WatermarkGenerator<T> {
  private final SteppedWatermark steps;
  private long watermark = SteppedWatermark.NONE;
  private boolean readSincePeriodicEmit;

  public StepWatermarks(SteppedWatermark steps) {
    this.steps = steps;
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    readSincePeriodicEmit = true;
    long next = steps.advance(watermark, eventTimestamp);
    if (next > watermark) {
      watermark = next;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    if (readSincePeriodicEmit && watermark != SteppedWatermark.NONE) {
      output.emitWatermark(new Watermark(watermark));
    }
    readSincePeriodicEmit = false;
  }
}
