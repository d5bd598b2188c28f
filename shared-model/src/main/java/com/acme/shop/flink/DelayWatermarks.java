package com.acme.shop.flink;

import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Holds a stream's watermark back by the allowed lateness, so that operators downstream see an
 * event as late exactly when the router would have ({@code eventTime + allowedLateness <=
 * watermark}).
 *
 * <p>For operators that have no allowed lateness of their own: Flink CEP and process functions that
 * buffer until the watermark. They then wait the allowed lateness before deciding, and decide once,
 * instead of deciding early and correcting later as Flink's windows do. The final watermark of a
 * bounded run passes unchanged, so everything still fires at the end.
 */
public final class DelayWatermarks<T> extends AbstractStreamOperator<T>
    implements OneInputStreamOperator<T, T> {
  private static final long serialVersionUID = 1L;

  private final long delayMs;

  private DelayWatermarks(long delayMs) {
    this.delayMs = delayMs;
  }

  /**
   * {@code stream} with its watermark {@code delay} behind; the stream itself when {@code delay} is
   * zero, so a job without allowed lateness has no extra operator.
   */
  public static <T> DataStream<T> by(DataStream<T> stream, Duration delay, String uid) {
    if (delay.isZero()) {
      return stream;
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("a watermark delay cannot be negative: " + delay);
    }
    return stream
        .transform(
            "watermark held back by " + delay.toMillis() + " ms",
            stream.getType(),
            new DelayWatermarks<T>(delay.toMillis()))
        .uid(uid);
  }

  /** The watermark that {@code watermark} becomes; the end of input and "no time yet" stay. */
  static long delayed(long watermark, long delayMs) {
    if (watermark == Long.MAX_VALUE || watermark == Long.MIN_VALUE) {
      return watermark;
    }
    return watermark - delayMs < watermark ? watermark - delayMs : Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<T> element) {
    output.collect(element);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    super.processWatermark(new Watermark(delayed(mark.getTimestamp(), delayMs)));
  }
}
