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

  /** How far the watermark moves at least when it moves; see {@link StepWatermarks}. */
  public static final Duration STEP = Duration.ofSeconds(1);

  public static <T extends EventTimed> WatermarkStrategy<Parsed<T>> forParsed(
      Duration outOfOrderness, Duration idleness) {
    return WatermarkStrategy.<Parsed<T>>forGenerator(
            context -> new StepWatermarks<>(outOfOrderness, STEP))
        .withTimestampAssigner(
            (parsed, kafkaTimestamp) ->
                parsed.isValid() ? parsed.event.eventTime().toEpochMilli() : NO_EVENT_TIME)
        .withIdleness(idleness);
  }
}
