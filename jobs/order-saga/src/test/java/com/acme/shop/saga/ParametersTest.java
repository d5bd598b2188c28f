package com.acme.shop.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.params.JobParameters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The job's own options: the contract's numbers by default, checked before the job starts. */
class ParametersTest {
  @Test
  void theDefaultsAreTheContractsAndTheIdleClockIsOnInALiveRun() {
    SagaSettings settings = OrderSagaJob.settings(OrderSagaJob.parameters().orElseThrow());
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.unknownOrderWait()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.retention()).isEqualTo(Duration.ofDays(1));
    assertThat(settings.wallClockWhenIdle()).isTrue();
  }

  @Test
  void aBoundedRunGoesByItsDataAlone() {
    JobParameters params = OrderSagaJob.parameters("--bounded").orElseThrow();
    assertThat(OrderSagaJob.settings(params).wallClockWhenIdle()).isFalse();
  }

  @Test
  void theIdleClockCanBeSwitchedOff() {
    JobParameters params = OrderSagaJob.parameters("--wall-clock-when-idle", "false").orElseThrow();
    assertThat(OrderSagaJob.settings(params).wallClockWhenIdle()).isFalse();
  }

  @Test
  void durationsMustBePositive() {
    assertThatThrownBy(() -> OrderSagaJob.parameters("--saga-timeout", "0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--saga-timeout must be positive");
    assertThatThrownBy(() -> OrderSagaJob.parameters("--unknown-order-wait", "0m"))
        .hasMessageContaining("--unknown-order-wait must be positive");
    assertThatThrownBy(() -> OrderSagaJob.parameters("--saga-retention", "0ms"))
        .hasMessageContaining("--saga-retention must be positive");
  }
}
