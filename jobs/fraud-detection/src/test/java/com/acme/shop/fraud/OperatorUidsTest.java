package com.acme.shop.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.Topology;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.junit.jupiter.api.Test;

/**
 * The operator uids a savepoint of the job is matched by. Changing one orphans that operator's
 * state on the next restore, so any change here must be deliberate.
 */
class OperatorUidsTest {
  static StreamExecutionEnvironment built(String... args) {
    JobParameters params = FraudDetectionJob.parameters(args).orElseThrow();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FraudDetectionJob.build(
        env,
        params,
        FraudDetectionJob.transactionSource(params),
        FraudDetectionJob.loginSource(params),
        FraudDetectionJob.Outputs.discarding());
    return env;
  }

  @Test
  void theUidsStayThoseOfEarlierVersions() {
    assertThat(Topology.uids(built()))
        .containsExactlyInAnyOrder(
            "transactions-source",
            "transactions-route",
            "logins-source",
            "logins-route",
            "card-testing",
            "velocity",
            "impossible-travel",
            "account-takeover",
            "alerts-sink",
            "dlq-sink",
            "late-sink",
            "card-testing-late-transactions",
            "velocity-late-transactions",
            "impossible-travel-late-transactions",
            "account-takeover-late-logins");
  }

  @Test
  void allowedLatenessAddsOnlyTheWatermarkDelays() {
    Set<String> uids = Topology.uids(built("--allowed-lateness", "30s"));
    Set<String> without = Topology.uids(built());
    assertThat(uids).containsAll(without);
    uids.removeAll(without);
    assertThat(uids).containsExactlyInAnyOrder("transactions-lateness", "logins-lateness");
  }

  @Test
  void everyKeyedOperatorHasAUidAndAName() {
    List<Transformation<?>> keyed =
        Topology.transformations(built()).stream()
            .filter(
                t ->
                    t instanceof OneInputTransformation<?, ?> one
                        && one.getStateKeySelector() != null)
            .toList();
    assertThat(keyed).hasSize(4);
    assertThat(keyed)
        .allSatisfy(
            t -> {
              assertThat(t.getUid()).isNotBlank();
              assertThat(t.getName()).contains(":");
            });
  }
}
