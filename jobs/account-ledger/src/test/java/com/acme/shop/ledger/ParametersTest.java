package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.params.JobParameters;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The job's own options, and the replays it refuses before they could do harm. */
class ParametersTest {
  @Test
  void defaults() {
    JobParameters params = AccountLedgerJob.parameters().orElseThrow();
    assertThat(params.get(AccountLedgerJob.IDEMPOTENCY_RETENTION)).isEqualTo(Duration.ofDays(7));
    assertThat(AccountLedgerJob.isReplay(params)).isFalse();
  }

  @Test
  void aTimeTravelReplay() {
    JobParameters params =
        AccountLedgerJob.parameters(
                "--replay-until",
                "2026-11-22T12:00:00Z",
                "--bounded",
                "true",
                "--starting-offsets",
                "earliest",
                "--topic.balances",
                "bank.balances.at-noon")
            .orElseThrow();
    assertThat(AccountLedgerJob.isReplay(params)).isTrue();
    assertThat(params.get(AccountLedgerJob.REPLAY_UNTIL))
        .isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
    assertThat(params.runName()).startsWith("account-ledger-").isNotEqualTo("account-ledger");
  }

  @Test
  void aReplayNeverWritesIntoTheLiveReadModel() {
    assertThatThrownBy(() -> AccountLedgerJob.parameters("--replay-until", "2026-11-22T12:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give --topic.balances");
    assertThatThrownBy(() -> AccountLedgerJob.parameters("--replay", "--bounded"))
        .hasMessageContaining("give --topic.balances");
  }

  @Test
  void aReplayReadsTheEventStoreFromItsBeginning() {
    assertThatThrownBy(
            () ->
                AccountLedgerJob.parameters(
                    "--replay", "--starting-offsets", "latest", "--topic.balances", "fresh"))
        .hasMessageContaining("--starting-offsets earliest");
  }

  @Test
  void theRetentionMustBePositive() {
    assertThatThrownBy(() -> AccountLedgerJob.parameters("--idempotency-retention", "0s"))
        .hasMessageContaining("--idempotency-retention must be positive");
  }
}
