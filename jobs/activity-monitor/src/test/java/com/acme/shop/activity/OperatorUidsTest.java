package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Topology;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The operator uids a savepoint of the job is matched by. Changing one orphans that operator's
 * state on the next restore, so any change here must be deliberate.
 */
class OperatorUidsTest {
  @Test
  void theUidsStayThoseOfEarlierVersions() {
    JobParameters params = ActivityMonitorJob.parameters().orElseThrow();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ActivityMonitorJob.build(
        env,
        params,
        ActivityMonitorJob.clickSource(params),
        ActivityMonitorJob.Outputs.discarding());

    assertThat(Topology.uids(env))
        .containsExactlyInAnyOrder(
            "clickstream-source",
            "clickstream-route",
            "page-views-per-user",
            "page-views-per-page",
            "event-rates",
            "sessions",
            "cart-abandonment",
            "bot-alerts",
            "page-views-sink",
            "event-rates-sink",
            "sessions-sink",
            "cart-abandonment-sink",
            "alerts-sink",
            "dlq-sink",
            "late-sink",
            // Added with the late side outputs of the windows and the cart timer (stateless).
            "page-views-per-user-late-clicks",
            "page-views-per-page-late-page-view-changes",
            "event-rates-late-clicks",
            "sessions-late-clicks",
            "cart-abandonment-late-clicks",
            "bot-alerts-late-clicks");
  }
}
