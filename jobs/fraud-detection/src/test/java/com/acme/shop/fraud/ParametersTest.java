package com.acme.shop.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rules' options: the contract's numbers by default, and nonsense refused at the start. */
class ParametersTest {
  static RuleSettings settings(String... args) {
    return RuleSettings.from(FraudDetectionJob.parameters(args).orElseThrow());
  }

  @Test
  void theDefaultsAreTheContractsNumbers() {
    RuleSettings rules = settings();
    assertThat(rules.smallBelow()).isEqualByComparingTo(new BigDecimal("5.00"));
    assertThat(rules.largeFrom()).isEqualByComparingTo(new BigDecimal("500.00"));
    assertThat(rules.minSmall()).isEqualTo(3);
    assertThat(rules.cardTestingWithin()).isEqualTo(Duration.ofMinutes(10));
    assertThat(rules.velocityWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(rules.velocitySlide()).isEqualTo(Duration.ofSeconds(10));
    assertThat(rules.velocityMaxTransactions()).isEqualTo(10);
    assertThat(rules.travelMaxGap()).isEqualTo(Duration.ofMinutes(60));
    assertThat(rules.takeoverMinFailures()).isEqualTo(5);
    assertThat(rules.takeoverWithin()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void thresholdsCanBeSet() {
    RuleSettings rules =
        settings(
            "--card-testing-large-from",
            "250",
            "--velocity-slide",
            "20s",
            "--takeover-min-failures",
            "3");
    assertThat(rules.largeFrom()).isEqualByComparingTo(new BigDecimal("250"));
    assertThat(rules.velocitySlide()).isEqualTo(Duration.ofSeconds(20));
    assertThat(rules.takeoverMinFailures()).isEqualTo(3);
  }

  @Test
  void nonsenseIsRefusedWithTheOptionsName() {
    assertThatThrownBy(() -> settings("--velocity-slide", "7s"))
        .hasMessageContaining("--velocity-slide PT7S must divide --velocity-window PT1M");
    assertThatThrownBy(() -> settings("--card-testing-small-below", "600"))
        .hasMessageContaining("--card-testing-small-below");
    assertThatThrownBy(() -> settings("--takeover-within", "0s"))
        .hasMessageContaining("--takeover-within must be positive");
    assertThatThrownBy(() -> settings("--max-alert-event-ids", "5"))
        .hasMessageContaining("--max-alert-event-ids must be at least 6");
    assertThatThrownBy(() -> settings("--card-testing-large-from", "lots"))
        .hasMessageContaining("--card-testing-large-from lots");
  }
}
