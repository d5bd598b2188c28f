package com.acme.shop.flink;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits parsed records into valid events, dead letters and late records, and counts the last two.
 *
 * <p>A record is late when its event time is at or behind the watermark by more than the allowed
 * lateness ({@code eventTime + allowedLateness <= watermark}). Deciding this once, right after the
 * source, gives every downstream window, pattern and timer of the job the same notion of late, and
 * no window operator downstream ever has to drop a record: their watermark is never ahead of this
 * operator's.
 */
public final class RouteParsedRecords<T> extends ProcessFunction<Parsed<T>, T> {
  private final String job;
  private final long allowedLatenessMs;
  private final Clock clock;
  private transient Counter deadLetters;
  private transient Counter late;

  public RouteParsedRecords(String job, Duration allowedLateness) {
    this(job, allowedLateness, Clock.systemUTC());
  }

  RouteParsedRecords(String job, Duration allowedLateness, Clock clock) {
    this.job = job;
    this.allowedLatenessMs = allowedLateness.toMillis();
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    late = getRuntimeContext().getMetricGroup().counter("lateRecords");
  }

  @Override
  public void processElement(Parsed<T> record, Context ctx, Collector<T> out) {
    if (!record.isValid()) {
      deadLetters.inc();
      ctx.output(
          RejectedRecords.DEAD_LETTERS,
          DeadLetter.of(record.raw(), job, record.error, clock.instant()));
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    if (watermark != Long.MIN_VALUE && ctx.timestamp() + allowedLatenessMs <= watermark) {
      late.inc();
      ctx.output(RejectedRecords.LATE, record.raw());
      return;
    }
    out.collect(record.event);
  }
}
