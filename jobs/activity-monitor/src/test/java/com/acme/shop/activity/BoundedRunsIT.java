package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.CpuLoad;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bounded exactly-once run, repeated on a busy machine under one job name, as the scripts and a
 * user run it: every run must end with all of its output committed, exactly, and with its consumer
 * group's offsets at the end of the input. Runs that finished with their last transactions or their
 * final offsets missing were seen here; a single run rarely shows it.
 */
class BoundedRunsIT {
  // The same extension object as ActivityMonitorIT's, whose helpers this test uses.
  @RegisterExtension static final KafkaExtension KAFKA = ActivityMonitorIT.KAFKA;
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final int RUNS = 6;

  @Test
  void everyBoundedRunCommitsAllItsOutputAndItsFinalOffsets() throws Exception {
    // One name for every run: the runs reuse their transactional ids and consumer group.
    String jobName = TopicIO.unique("bounded-loop");
    try (CpuLoad load = CpuLoad.start(2)) {
      for (int run = 1; run <= RUNS; run++) {
        RunTopics topics = RunTopics.unique().create(KAFKA.topics(), 1, 2);
        KAFKA.topics().write(topics.clicks(), ActivityMonitorIT.FIXED_DAY);
        JobParameters params = ActivityMonitorIT.params(topics, jobName, "--bounded");
        JobClient job = ActivityMonitorIT.start(params);
        job.getJobExecutionResult().get();

        ActivityMonitorIT.assertFixedDayOutputs(topics);
        assertThat(KAFKA.topics().committedOffsets(params.runName(), topics.clicks()))
            .as("offsets committed by run %d", run)
            .isEqualTo(KAFKA.topics().endOffsets(topics.clicks()));
        assertThat(KAFKA.topics().openTransactions(jobName + ".")).as("run %d", run).isEmpty();
        assertThat(JobRestarts.of(FLINK, job.getJobID())).as("run %d", run).isZero();
      }
    }
  }
}
