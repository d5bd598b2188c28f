package com.acme.shop.saga;

import static com.acme.shop.saga.SagaHarness.at;
import static com.acme.shop.saga.SagaHarness.paid;
import static com.acme.shop.saga.SagaHarness.placed;
import static com.acme.shop.saga.SagaHarness.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.WallClockWhenIdle;
import com.acme.shop.model.OrderCommandType;
import com.acme.shop.model.SagaStatus;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.junit.jupiter.api.Test;

/**
 * When the whole input is idle, the saga's deadlines follow the wall clock ({@code
 * flink.WallClockWhenIdle}); in a bounded run they never do.
 */
class IdleInputTest {
  static final long MINUTE = Duration.ofMinutes(1).toMillis();
  static final long START = 1_000_000L;
  static final long CHECK = WallClockWhenIdle.CHECK_INTERVAL.toMillis();

  static SagaSettings settings(boolean wallClockWhenIdle) {
    SagaSettings contract = SagaSettings.contract();
    return new SagaSettings(
        contract.timeout(), contract.unknownOrderWait(), contract.retention(), wallClockWhenIdle);
  }

  /** An order placed at 09:00 and paid, the watermark at 09:00, then the whole input idle. */
  static SagaHarness idleAfterAPaidOrder(boolean wallClockWhenIdle) throws Exception {
    SagaHarness saga = new SagaHarness(settings(wallClockWhenIdle));
    saga.harness.setProcessingTime(START);
    saga.feed(placed("o1", "09:00:00"), paid("o1", "09:01:00")).watermark("09:00:00");
    saga.harness.processWatermarkStatus(WatermarkStatus.IDLE);
    return saga;
  }

  static List<OrderCommandType> commandTypes(SagaHarness saga) {
    return saga.commands().stream().map(c -> c.type()).toList();
  }

  @Test
  void anIdleInputTimesTheSagaOutWhenFifteenMinutesOfWallClockHavePassed() throws Exception {
    try (SagaHarness saga = idleAfterAPaidOrder(true)) {
      saga.harness.setProcessingTime(START + 15 * MINUTE - 1);
      assertThat(saga.commands()).isEmpty();

      // The clock moves the watermark once per check interval.
      saga.harness.setProcessingTime(START + 15 * MINUTE + CHECK);
      assertThat(commandTypes(saga))
          .containsExactly(OrderCommandType.CANCEL_ORDER, OrderCommandType.REFUND_PAYMENT);
      assertThat(saga.lastState().state()).isEqualTo(SagaStatus.TIMED_OUT);
      // The deadline's own event time, not the clock's.
      assertThat(saga.lastState().updatedAt()).isEqualTo(at("09:15:00"));
      assertThat(lastWatermark(saga)).isGreaterThanOrEqualTo(at("09:15:00").toEpochMilli());
    }
  }

  @Test
  void withoutTheIdleClockNothingHappensHoweverLongTheInputIsIdle() throws Exception {
    try (SagaHarness saga = idleAfterAPaidOrder(false)) {
      saga.harness.setProcessingTime(START + 600 * MINUTE);
      assertThat(saga.commands()).isEmpty();
      assertThat(saga.lastState().state()).isEqualTo(SagaStatus.PENDING);
    }
  }

  @Test
  void anActiveInputStopsTheClockAndItsWatermarkTakesOverOnceAhead() throws Exception {
    try (SagaHarness saga = idleAfterAPaidOrder(true)) {
      saga.harness.setProcessingTime(START + 5 * MINUTE);
      saga.harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
      long advanced = at("09:05:00").toEpochMilli();
      assertThat(lastWatermark(saga)).isEqualTo(advanced);

      // Time stands still while the input is active, and its older watermarks do not count.
      saga.harness.setProcessingTime(START + 60 * MINUTE);
      saga.watermark("09:02:00");
      assertThat(watermarks(saga)).allMatch(w -> w <= advanced);
      assertThat(saga.commands()).isEmpty();
      // A record behind the clock's watermark still counts for the saga.
      saga.feed(reserved("o1", "09:03:00"));
      assertThat(commandTypes(saga)).containsExactly(OrderCommandType.SHIP_ORDER);

      saga.watermark("09:06:00");
      assertThat(lastWatermark(saga)).isEqualTo(at("09:06:00").toEpochMilli());
    }
  }

  @Test
  void aJobRestoredWhileIdleGoesOnFromTheWatermarkItHadReached() throws Exception {
    OperatorSubtaskState snapshot;
    try (SagaHarness saga = idleAfterAPaidOrder(true)) {
      saga.harness.setProcessingTime(START + 10 * MINUTE);
      snapshot = saga.harness.snapshot(1, START + 10 * MINUTE);
    }
    try (SagaHarness restored = new SagaHarness(settings(true), snapshot)) {
      restored.harness.setProcessingTime(START);
      restored.harness.processWatermarkStatus(WatermarkStatus.IDLE);
      restored.harness.setProcessingTime(START + 5 * MINUTE + CHECK);
      assertThat(commandTypes(restored))
          .containsExactly(OrderCommandType.CANCEL_ORDER, OrderCommandType.REFUND_PAYMENT);
    }
  }

  /** The watermark the operator last emitted: where its event time stands. */
  static long lastWatermark(SagaHarness saga) {
    List<Long> emitted = watermarks(saga);
    return emitted.isEmpty() ? Long.MIN_VALUE : emitted.get(emitted.size() - 1);
  }

  static List<Long> watermarks(SagaHarness saga) {
    return saga.harness.getOutput().stream()
        .filter(o -> o instanceof Watermark)
        .map(o -> ((Watermark) o).getTimestamp())
        .toList();
  }
}
