package com.acme.shop.flink;

import org.apache.flink.cep.PatternStream;

/**
 * {@link LateEvents} for Flink CEP, apart so that {@link LateEvents} loads in jobs without CEP on
 * their class path. A job using it needs {@code flink-cep} in its own jar: Flink's {@code lib/}
 * does not have it.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Alert> alerts =
 *     CepLateEvents.caughtIn(CEP.pattern(keyed, pattern), late).process(new ToAlert());
 * DataStream<RawRecord> lateRecords = late.from(alerts);
 * }</pre>
 */
public final class CepLateEvents {
  private CepLateEvents() {}

  /**
   * {@code patterns}, sending the events they would drop as late (at or behind the pattern
   * operator's watermark) to {@code late}'s tag.
   */
  public static <T> PatternStream<T> caughtIn(PatternStream<T> patterns, LateEvents<T> late) {
    return patterns.sideOutputLateData(late.tag());
  }
}
