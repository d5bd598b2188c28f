package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** {@link StateTtl} and {@link SeenIds} on keyed functions in a test harness. */
class StateHelpersTest {
  static final Duration RETENTION = Duration.ofMinutes(10);

  /** Emits each id the first time its key sees it within the retention. */
  static final class FirstOccurrences extends KeyedProcessFunction<String, String, String> {
    private transient SeenIds seen;

    @Override
    public void open(OpenContext openContext) {
      seen = new SeenIds(getRuntimeContext(), "seen-ids", RETENTION);
    }

    @Override
    public void processElement(String id, Context ctx, Collector<String> out) throws Exception {
      if (seen.firstTime(id, ctx.timestamp(), ctx.timerService())) {
        out.collect(id);
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
        throws Exception {
      seen.forgetUntil(timestamp);
    }
  }

  static KeyedOneInputStreamOperatorTestHarness<String, String, String> dedup() throws Exception {
    // Every id under one key, as a job keyed by card or user holds many ids per key.
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new FirstOccurrences(), id -> "card-1", Types.STRING);
  }

  static final long MINUTE = 60_000;

  @Test
  void aDuplicateWithinTheRetentionIsRecognisedAndForgottenAfterIt() throws Exception {
    try (var harness = dedup()) {
      harness.processElement("t1", 0);
      harness.processElement("t2", 2 * MINUTE);
      harness.processElement("t1", 5 * MINUTE); // a redelivery of t1
      harness.processWatermark(new Watermark(9 * MINUTE));
      harness.processElement("t1", 9 * MINUTE); // still within t1's 10 minutes
      assertThat(harness.extractOutputValues()).containsExactly("t1", "t2");

      harness.processWatermark(new Watermark(10 * MINUTE));
      assertThat(harness.numKeyedStateEntries()).as("t2 is still remembered").isOne();
      harness.processWatermark(new Watermark(12 * MINUTE));
      assertThat(harness.numKeyedStateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();

      // Once forgotten, an id counts as new again.
      harness.processElement("t1", 13 * MINUTE);
      assertThat(harness.extractOutputValues()).containsExactly("t1", "t2", "t1");
    }
  }

  @Test
  void theFinalWatermarkLeavesNoIdsBehind() throws Exception {
    try (var harness = dedup()) {
      for (String id : List.of("a", "b", "a", "c")) {
        harness.processElement(id, MINUTE);
      }
      harness.processWatermark(Watermark.MAX_WATERMARK);
      assertThat(harness.extractOutputValues()).containsExactly("a", "b", "c");
      assertThat(harness.numKeyedStateEntries()).isZero();
    }
  }

  @Test
  void theTtlComesFromTheCommonOptionAndExpiresOnProcessingTime() {
    JobParameters defaults = JobParameters.of("job", List.of(), List.of());
    assertThat(defaults.get(CommonParams.STATE_TTL)).isEqualTo(Duration.ofDays(7));

    JobParameters params = JobParameters.of("job", List.of(), List.of(), "--state-ttl", "2h");
    ValueStateDescriptor<Long> descriptor =
        StateTtl.expiring(new ValueStateDescriptor<>("last", Types.LONG), params);
    StateTtlConfig ttl = descriptor.getTtlConfig();
    assertThat(ttl.getTimeToLive()).isEqualTo(Duration.ofHours(2));
    assertThat(ttl.getTtlTimeCharacteristic())
        .isEqualTo(StateTtlConfig.TtlTimeCharacteristic.ProcessingTime);
    assertThat(ttl.getUpdateType()).isEqualTo(StateTtlConfig.UpdateType.OnCreateAndWrite);
    assertThat(ttl.getStateVisibility())
        .isEqualTo(StateTtlConfig.StateVisibility.NeverReturnExpired);
    assertThat(ttl.getCleanupStrategies().inFullSnapshot()).isTrue();
    assertThat(ttl.getCleanupStrategies().getIncrementalCleanupStrategy()).isNotNull();
  }

  /** Remembers the last value per key in state that expires a minute after it was written. */
  static final class LastValue extends KeyedProcessFunction<String, Long, Long> {
    private transient ValueState<Long> last;

    @Override
    public void open(OpenContext openContext) {
      last =
          getRuntimeContext()
              .getState(
                  StateTtl.expiring(
                      new ValueStateDescriptor<>("last", Types.LONG), Duration.ofMinutes(1)));
    }

    @Override
    public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
      Long previous = last.value();
      out.collect(previous == null ? -1 : previous);
      last.update(value);
    }
  }

  @Test
  void stateIsGoneOnceItsTtlHasPassedSinceItWasWritten() throws Exception {
    try (var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new LastValue(), value -> "k", Types.STRING)) {
      harness.setStateTtlProcessingTime(0);
      harness.processElement(1L, 0);
      harness.setStateTtlProcessingTime(59_000);
      harness.processElement(2L, 0); // reads 1, writes 2 at 59 s
      harness.setStateTtlProcessingTime(59_000 + 60_000);
      harness.processElement(3L, 0); // 2 has expired
      assertThat(harness.extractOutputValues()).containsExactly(-1L, 1L, -1L);
    }
  }
}
