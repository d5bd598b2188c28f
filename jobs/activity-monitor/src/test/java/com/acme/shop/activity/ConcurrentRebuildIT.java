package com.acme.shop.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import java.nio.file.Path;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's rebuild, a bounded run from {@code earliest} into fresh topics, next to the live
 * job, both without {@code --job-name}: they must not share a consumer group or transactional ids
 * (a rebuild used to fence the live job's producers and commit into its group), and both outputs
 * are exact.
 */
class ConcurrentRebuildIT {
  // The same extension object as ActivityMonitorIT's, whose helpers this test uses.
  @RegisterExtension static final KafkaExtension KAFKA = ActivityMonitorIT.KAFKA;
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @Test
  void aRebuildNextToTheLiveJobDisturbsNeither(@TempDir Path savepoints) throws Exception {
    RunTopics live = RunTopics.unique().create(KAFKA.topics(), 1, 2);
    RunTopics rebuilt =
        RunTopics.unique().readingFrom(live.clicks()).createOutputs(KAFKA.topics(), 2);
    JobParameters liveParams = ActivityMonitorIT.params(live, null);
    JobParameters rebuildParams = ActivityMonitorIT.params(rebuilt, null, "--bounded");
    assertThat(rebuildParams.runName()).isNotEqualTo(liveParams.runName());

    JobClient liveJob = ActivityMonitorIT.start(liveParams);
    KAFKA.topics().write(live.clicks(), ActivityMonitorIT.FIXED_DAY);
    JobClient rebuild = ActivityMonitorIT.start(rebuildParams);
    rebuild.getJobExecutionResult().get();
    ActivityMonitorIT.assertFixedDayOutputs(rebuilt);

    // Draining fires the live job's last windows and timers, as the rebuild's end did.
    liveJob
        .stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
        .get();
    assertThat(liveJob.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
    ActivityMonitorIT.assertFixedDayOutputs(live);
    assertThat(JobRestarts.of(FLINK, liveJob.getJobID())).isZero();
    assertThat(JobRestarts.of(FLINK, rebuild.getJobID())).isZero();
    assertThat(KAFKA.topics().committedOffsets(rebuildParams.runName(), live.clicks()))
        .isEqualTo(KAFKA.topics().endOffsets(live.clicks()));
  }
}
