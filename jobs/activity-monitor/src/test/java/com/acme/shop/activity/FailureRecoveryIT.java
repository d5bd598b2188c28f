package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.kafka.Parsed;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FailOnceSource;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once through a failure, in the manner of the Kafka connector's own {@code
 * KafkaSinkITCase}: the job fails once mid-stream after a checkpoint, restarts from it, and its
 * committed output, dead letters and late records included, is exactly that of a run without the
 * failure: nothing missing, nothing twice, no transaction left open.
 */
class FailureRecoveryIT {
  // The same extension object as ActivityMonitorIT's, whose helpers this test uses.
  @RegisterExtension static final KafkaExtension KAFKA = ActivityMonitorIT.KAFKA;
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @Test
  void aFailureAfterACheckpointLosesNothingAndDuplicatesNothing() throws Exception {
    RunTopics topics = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    KAFKA.topics().write(topics.clicks(), ActivityMonitorIT.FIXED_DAY);
    String jobName = TopicIO.unique("fail-once");
    // Parallelism 1: with two source subtasks on the one input partition, the one without a split
    // finishes at once, and Flink then completes no checkpoint until the other one ends too.
    JobParameters params =
        ActivityMonitorIT.params(
            topics, jobName, "--bounded", "--restart-delay", "100ms", "--parallelism", "1");
    StreamExecutionEnvironment env = ActivityMonitorIT.environment(params);
    // Fails after 50 of the 216 records, once a checkpoint taken after them has completed.
    Source<Parsed<ClickEvent>, ?, ?> failingOnce =
        new FailOnceSource<>(ActivityMonitorJob.clickSource(params), jobName, 50);
    ActivityMonitorJob.build(env, params, failingOnce, ActivityMonitorJob.Outputs.kafka(params));
    JobClient job = env.executeAsync("activity-monitor failing once");
    job.getJobExecutionResult().get();

    assertThat(FailOnceSource.hasFailed(jobName)).isTrue();
    assertThat(JobRestarts.of(FLINK, job.getJobID())).isEqualTo(1);
    ActivityMonitorIT.assertFixedDayOutputs(topics);
    assertThat(KAFKA.topics().openTransactions(jobName + ".")).isEmpty();
  }
}
