package com.acme.shop.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.fraud.FraudRuns.Detected;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FailOnceSource;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once through a failure: the job fails once mid-stream after a checkpoint, restarts from
 * it with the rules' state (CEP's partial matches, the velocity slices, the travel buffer), and its
 * committed alerts, ids included, are exactly those of a run without the failure: nothing missing,
 * nothing twice, no transaction left open.
 */
class FailureRecoveryIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @Test
  void aFailureAfterACheckpointLosesNothingAndDuplicatesNothing() throws Exception {
    RunTopics clean = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(clean.transactions(), transactions());
    KAFKA.topics().write(clean.logins(), HostileInputIT.logins());
    FraudRuns.runBounded(FLINK, FraudRuns.params(KAFKA, clean, "--bounded"));
    List<Detected> expected = HostileInputIT.detected(clean);
    assertThat(expected).hasSizeGreaterThan(5);

    RunTopics failing = clean.replay().createOutputs(KAFKA.topics(), 2);
    String jobName = TopicIO.unique("fail-once");
    // Unbounded, at parallelism 1: in a bounded run the logins end long before the transactions,
    // and Flink then completes no checkpoint until the end (see docs/operations.md, bounded
    // runs), while the failure below waits for one. The input's last events move the watermark
    // past everything the clean run alerted on.
    JobParameters params =
        FraudRuns.params(
            KAFKA,
            failing,
            "--restart-delay",
            "100ms",
            "--parallelism",
            "1",
            "--job-name",
            jobName);
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    // Fails after 8 of the transactions (inside the card testing and travel patterns), once a
    // checkpoint taken after them has completed.
    Source<Parsed<PaymentTransaction>, ?, ?> failingOnce =
        new FailOnceSource<>(FraudDetectionJob.transactionSource(params), jobName, 8);
    FraudDetectionJob.build(
        env,
        params,
        failingOnce,
        FraudDetectionJob.loginSource(params),
        FraudDetectionJob.Outputs.kafka(params));
    JobClient job = env.executeAsync("fraud-detection failing once");
    try {
      await("the planted failure", () -> FailOnceSource.hasFailed(jobName));
      await(
          expected.size() + " alerts",
          () -> HostileInputIT.detected(failing).size() >= expected.size());
      // A duplicate would come with a later checkpoint: give it a few.
      Thread.sleep(3_000);
    } finally {
      job.cancel().get();
    }

    assertThat(FailOnceSource.hasFailed(jobName)).isTrue();
    assertThat(JobRestarts.of(FLINK, job.getJobID())).isEqualTo(1);
    assertThat(HostileInputIT.detected(failing)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(HostileInputIT.keysAndValues(failing.late()))
        .containsExactlyInAnyOrderElementsOf(HostileInputIT.keysAndValues(clean.late()));
  }

  /**
   * The rules' transactions, then 300 that alert on nothing, so the source still has records to
   * read, slowly, until a checkpoint completes and it can fail, however busy the machine is.
   */
  static List<TopicIO.Message> transactions() {
    List<TopicIO.Message> txns = new ArrayList<>(HostileInputIT.transactions());
    for (int i = 0; i < 300; i++) {
      txns.add(
          HostileInputIT.txn(
              "pad" + i,
              "pad-" + i,
              "20.00",
              "FR",
              String.format("09:%02d:%02d", 21 + i / 60, i % 60)));
    }
    return txns;
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + FraudRuns.JOB_TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + FraudRuns.JOB_TIMEOUT);
      }
      Thread.sleep(200);
    }
  }
}
