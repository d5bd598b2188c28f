package com.acme.shop.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Topology;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The operator uids a savepoint of the job is matched by. Changing one orphans that operator's
 * state on the next restore (for the aggregate: every account), so any change here must be
 * deliberate.
 */
class OperatorUidsTest {
  static Set<String> uids(String... args) {
    JobParameters params = AccountLedgerJob.parameters(args).orElseThrow();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    AccountLedgerJob.build(
        env, params, AccountLedgerJob.Sources.kafka(params), AccountLedgerJob.Outputs.discarding());
    return Topology.uids(env);
  }

  @Test
  void theLiveJobsUidsStayThoseOfEarlierVersions() {
    assertThat(uids())
        .containsExactlyInAnyOrder(
            "account-commands-source",
            "account-commands-route",
            "account-aggregate",
            "account-events-sink",
            "command-rejections-sink",
            "account-events-source",
            "account-events-route",
            "balance-projection",
            "balances-sink",
            "dlq-sink",
            "late-sink");
  }

  @Test
  void aReplayReadsTheEventStoreAndWritesBalancesOnly() {
    assertThat(
            uids(
                "--replay-until",
                "2026-11-23T12:00:00Z",
                "--bounded",
                "--topic.balances",
                "balances-at-noon"))
        .containsExactlyInAnyOrder(
            "account-events-source", "account-events-route", "balance-projection", "balances-sink");
  }
}
