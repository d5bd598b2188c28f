package com.acme.shop.datagen;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * What shapes the generated data. Event time advances by {@code spacing} per record of a topic from
 * {@code start}, so at the matching rate it keeps pace with the wall clock.
 */
public record GeneratorSettings(
    long seed,
    Instant start,
    Duration spacing,
    double fraudShare,
    double badShare,
    double lateShare,
    Duration maxDisorder)
    implements Serializable {

  /** How far behind the watermark a planted late record is placed. */
  static final Duration LATE_BY = Duration.ofMinutes(10);
}
