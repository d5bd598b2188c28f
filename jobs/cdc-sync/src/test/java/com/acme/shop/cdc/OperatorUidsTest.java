package com.acme.shop.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Topology;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The operator uids a savepoint of the job is matched by. Changing one orphans that operator's
 * state on the next restore (for the current rows: every row of a table), so any change here must
 * be deliberate. Each read model has uids of its own, so a rebuild of one runs only its chain.
 */
class OperatorUidsTest {
  static Set<String> uids(String... args) {
    JobParameters params = CdcSyncJob.parameters(args).orElseThrow();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    CdcSyncJob.build(
        env, params, CdcSyncJob.Sources.kafka(params), CdcSyncJob.Outputs.discarding());
    return Topology.uids(env);
  }

  @Test
  void theLiveJobsUids() {
    assertThat(uids())
        .containsExactlyInAnyOrder(
            "orders-source",
            "orders-route",
            "orders-current",
            "products-source",
            "products-route",
            "products-current",
            "products-fan-out",
            "customers-source",
            "customers-route",
            "customers-current",
            "customers-fan-out",
            "orders-enriched",
            "orders-enriched-sink",
            "sales-by-category-join",
            "sales-by-category",
            "sales-by-category-sink",
            "customer-summary",
            "customer-summary-sink",
            "dlq-sink");
  }

  @Test
  void aRebuildOfOneReadModelRunsOnlyItsChain() {
    assertThat(uids("--read-models", "customer-summary", "--bounded"))
        .containsExactlyInAnyOrder(
            "orders-source",
            "orders-route",
            "orders-current",
            "customer-summary",
            "customer-summary-sink",
            "dlq-sink");
    assertThat(uids("--read-models", "sales-by-category"))
        .containsExactlyInAnyOrder(
            "orders-source",
            "orders-route",
            "orders-current",
            "products-source",
            "products-route",
            "products-current",
            "products-fan-out",
            "sales-by-category-join",
            "sales-by-category",
            "sales-by-category-sink",
            "dlq-sink");
  }
}
