package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The watermark held back by the allowed lateness, on the real operator. */
class DelayWatermarksTest {
  @SuppressWarnings("unchecked")
  static OneInputStreamOperatorTestHarness<Long, Long> harness(Duration delay) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<Long> delayed = DelayWatermarks.by(env.fromSequence(0, 1), delay, "delay");
    Transformation<?> t = delayed.getTransformation();
    OneInputStreamOperatorTestHarness<Long, Long> harness =
        new OneInputStreamOperatorTestHarness<>(
            (OneInputStreamOperator<Long, Long>)
                ((OneInputTransformation<Long, Long>) t).getOperator());
    harness.open();
    return harness;
  }

  static List<Long> watermarks(OneInputStreamOperatorTestHarness<Long, Long> h) {
    return h.getOutput().stream()
        .filter(o -> o instanceof Watermark)
        .map(o -> ((Watermark) o).getTimestamp())
        .toList();
  }

  @Test
  void elementsPassAndWatermarksFollowTheDelayBehind() throws Exception {
    try (var h = harness(Duration.ofSeconds(30))) {
      h.processElement(7L, 1_000_000L);
      h.processWatermark(new Watermark(1_000_000L));
      h.processWatermark(new Watermark(1_060_000L));
      h.processWatermark(Watermark.MAX_WATERMARK);

      assertThat(h.extractOutputValues()).containsExactly(7L);
      assertThat(watermarks(h)).containsExactly(970_000L, 1_030_000L, Long.MAX_VALUE);
    }
  }

  @Test
  void aWatermarkNearTheStartOfTimeDoesNotWrapAround() {
    assertThat(DelayWatermarks.delayed(Long.MIN_VALUE + 5, 30_000)).isEqualTo(Long.MIN_VALUE);
    assertThat(DelayWatermarks.delayed(Long.MIN_VALUE, 30_000)).isEqualTo(Long.MIN_VALUE);
    assertThat(DelayWatermarks.delayed(0, 30_000)).isEqualTo(-30_000);
  }

  @Test
  void noDelayAddsNoOperatorAndANegativeOneIsRefused() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<Long> stream = env.fromSequence(0, 1);
    assertThat(DelayWatermarks.by(stream, Duration.ZERO, "delay")).isSameAs(stream);
    assertThatThrownBy(() -> DelayWatermarks.by(stream, Duration.ofSeconds(-1), "delay"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
