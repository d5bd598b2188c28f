package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class StepWatermarksTest {
  final List<Long> emitted = new ArrayList<>();
  final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  @Test
  void followsTheHighestTimestampMinusTheBoundInSteps() {
    var generator = new StepWatermarks<String>(Duration.ofSeconds(5), Duration.ofSeconds(1));
    generator.onEvent("a", 10_000, output); // first record: emit at once
    generator.onEvent("b", 10_500, output); // less than a step: hold
    generator.onEvent("c", 9_000, output); // out of order: never moves back
    generator.onEvent("d", 11_000, output); // a full step
    generator.onPeriodicEmit(output); // the wall clock never moves it
    generator.onEvent("e", 20_000, output);
    assertThat(emitted).containsExactly(4_999L, 5_999L, 14_999L);
  }
}
