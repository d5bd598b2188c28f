package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkOutputMultiplexer;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class StepWatermarksTest {
  static final SteppedWatermark STEPS =
      new SteppedWatermark(Duration.ofSeconds(5), Duration.ofSeconds(1));

  /** A wall clock for Flink's idleness timer, which takes the time 0 to mean "no timer". */
  static ManualClock wallClock() {
    return new ManualClock(Duration.ofHours(1).toNanos());
  }

  /** What a generator told its output, in order: watermarks as numbers, idleness as words. */
  final List<Object> told = new ArrayList<>();

  final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          told.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
          told.add("idle");
        }

        @Override
        public void markActive() {
          told.add("active");
        }
      };

  @Test
  void followsTheHighestTimestampMinusTheBoundInWholeSteps() {
    var generator = new StepWatermarks<String>(STEPS);
    generator.onEvent("a", 10_000, output); // first record: emit at once
    generator.onEvent("b", 10_500, output); // less than a step: hold
    generator.onEvent("c", 9_000, output); // out of order: never moves back
    generator.onEvent("d", 11_000, output); // a full step
    generator.onEvent("e", 20_000, output);
    generator.onEvent("f", 25_999, output); // rounded down to the step: 20_999
    assertThat(told).containsExactly(4_999L, 5_999L, 14_999L, 19_999L);
  }

  @Test
  void theWatermarkDependsOnTheHighestTimestampAloneNotOnWhereTheStepsStarted() {
    var fromStart = new StepWatermarks<String>(STEPS);
    fromStart.onEvent("a", 10_000, output);
    fromStart.onEvent("b", 10_700, output);
    fromStart.onEvent("c", 11_400, output);
    // A generator that starts later, as after a restore, lands on the same grid.
    var restarted = new StepWatermarks<String>(STEPS);
    restarted.onEvent("b", 10_700, output);
    restarted.onEvent("c", 11_400, output);
    assertThat(told).containsExactly(4_999L, 5_999L, 4_999L, 5_999L);
  }

  @Test
  void thePeriodicCallRepeatsTheWatermarkAfterRecordsButNeverMovesIt() {
    var generator = new StepWatermarks<String>(STEPS);
    generator.onPeriodicEmit(output); // nothing read, nothing to say
    generator.onEvent("a", 10_000, output);
    generator.onEvent("b", 10_500, output);
    generator.onPeriodicEmit(output); // records since the last call: repeat 4_999, not 5_499
    generator.onPeriodicEmit(output); // none since: quiet
    assertThat(told).containsExactly(4_999L, 4_999L);
  }

  @Test
  void aPartitionWakingFromIdlenessTellsItsWatermarkAgainWithoutMovingAStep() {
    ManualClock clock = wallClock();
    WatermarkGenerator<String> generator =
        new WatermarksWithIdleness<>(new StepWatermarks<>(STEPS), Duration.ofSeconds(30), clock);
    generator.onEvent("a", 10_000, output);
    generator.onPeriodicEmit(output);
    generator.onPeriodicEmit(output); // silence starts
    clock.advanceTime(Duration.ofSeconds(31));
    generator.onPeriodicEmit(output);
    assertThat(told).containsExactly(4_999L, 4_999L, "idle");

    // Half a step: no new watermark, but the periodic call says the old one again.
    generator.onEvent("b", 10_500, output);
    generator.onPeriodicEmit(output);
    assertThat(told).containsExactly(4_999L, 4_999L, "idle", 4_999L);
  }

  /**
   * Through Flink's own per-split multiplexer, as in the Kafka source: a watermark, even an old
   * one, is what makes an idle split active again, so that it holds the subtask's watermark back.
   */
  @Test
  void theWokenPartitionHoldsTheSubtasksWatermarkBackAgain() {
    ManualClock clock = wallClock();
    WatermarkOutputMultiplexer splits = new WatermarkOutputMultiplexer(output);
    splits.registerNewOutput("p0");
    splits.registerNewOutput("p1");
    WatermarkGenerator<String> p0 =
        new WatermarksWithIdleness<>(new StepWatermarks<>(STEPS), Duration.ofSeconds(30), clock);
    WatermarkGenerator<String> p1 =
        new WatermarksWithIdleness<>(new StepWatermarks<>(STEPS), Duration.ofSeconds(30), clock);
    Runnable periodic =
        () -> {
          p0.onPeriodicEmit(splits.getDeferredOutput("p0"));
          p1.onPeriodicEmit(splits.getDeferredOutput("p1"));
          splits.onPeriodicEmit();
        };

    p0.onEvent("a", 10_000, splits.getImmediateOutput("p0"));
    p1.onEvent("b", 10_000, splits.getImmediateOutput("p1"));
    periodic.run();
    // p0 falls silent and goes idle; p1 alone moves the subtask's watermark.
    p1.onEvent("c", 20_000, splits.getImmediateOutput("p1"));
    periodic.run();
    clock.advanceTime(Duration.ofSeconds(31));
    p1.onEvent("d", 21_000, splits.getImmediateOutput("p1"));
    periodic.run();
    assertThat(told).containsExactly(4_999L, 15_999L);

    // p0 wakes with a record less than a step ahead of its watermark: it is active again at once,
    // so p1 can no longer move the subtask's watermark past it.
    p0.onEvent("e", 10_500, splits.getImmediateOutput("p0"));
    periodic.run();
    p1.onEvent("f", 40_000, splits.getImmediateOutput("p1"));
    periodic.run();
    assertThat(told).containsExactly(4_999L, 15_999L);
  }
}
