package com.acme.shop.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Topology;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The operator uids a savepoint of the job is matched by. Changing one orphans that operator's
 * state on the next restore (for the saga: every open order), so any change here must be
 * deliberate.
 */
class OperatorUidsTest {
  static Set<String> uids(String... args) {
    JobParameters params = OrderSagaJob.parameters(args).orElseThrow();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    OrderSagaJob.build(
        env, params, OrderSagaJob.eventSource(params), OrderSagaJob.Outputs.discarding());
    return Topology.uids(env);
  }

  static final String[] UIDS = {
    "order-events-source",
    "order-events-route",
    "order-saga",
    "saga-sink",
    "commands-sink",
    "payment-latency-join",
    "payment-latency-join-late-placements",
    "payment-latency-join-late-payments",
    "payment-latency-sink",
    "dlq-sink",
    "late-sink"
  };

  @Test
  void theJobsUidsStayThoseOfEarlierVersions() {
    assertThat(uids()).containsExactlyInAnyOrder(UIDS);
  }

  @Test
  void aBoundedRunWithoutTheIdleClockHasTheSameUids() {
    // The saga's state must restore into either form of its operator.
    assertThat(uids("--bounded")).containsExactlyInAnyOrder(UIDS);
  }

  @Test
  void anAllowedLatenessAddsOnlyItsOwnOperator() {
    assertThat(uids("--allowed-lateness", "1m"))
        .contains(UIDS)
        .contains("order-events-lateness")
        .hasSize(UIDS.length + 1);
  }
}
