package com.acme.shop.flink;

import com.acme.shop.kafka.Parsed;
import com.acme.shop.model.EventTimed;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks for parsed Kafka records: bounded out-of-orderness with idleness, emitted
 * per Kafka partition by the source.
 */
public final class Watermarks {
  private Watermarks() {}

  /**
   * Rejected records carry no event time; they get the smallest timestamp so they can never move
   * the watermark (a broken clock in a bad record must not make good records late).
   */
  public static final long NO_EVENT_TIME = Long.MIN_VALUE;

  public static <T extends EventTimed> WatermarkStrategy<Parsed<T>> forParsed(
      JobParameters params) {
    return forParsed(params.get(CommonParams.OUT_OF_ORDERNESS), params.get(CommonParams.IDLENESS));
  }

  /** The grid the watermark moves on; see {@link SteppedWatermark}. */
  public static final Duration STEP = Duration.ofSeconds(1);

  /** The per-partition watermark arithmetic of the job, for the source and the router alike. */
  public static SteppedWatermark steps(JobParameters params) {
    return steps(params.get(CommonParams.OUT_OF_ORDERNESS));
  }

  public static SteppedWatermark steps(Duration outOfOrderness) {
    return new SteppedWatermark(outOfOrderness, STEP);
  }

  public static <T extends EventTimed> WatermarkStrategy<Parsed<T>> forParsed(
      Duration outOfOrderness, Duration idleness) {
    SteppedWatermark steps = steps(outOfOrderness);
    return WatermarkStrategy.<Parsed<T>>forGenerator(context -> new StepWatermarks<>(steps))
        .withTimestampAssigner(
            (parsed, kafkaTimestamp) ->
                parsed.isValid() ? parsed.event.eventTime().toEpochMilli() : NO_EVENT_TIME)
        .withIdleness(idleness);
  }
}
