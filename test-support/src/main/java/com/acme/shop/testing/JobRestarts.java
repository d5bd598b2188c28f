package com.acme.shop.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory.RootExceptionInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * How often a job on the test MiniCluster failed, from its exception history ({@code GET
 * /jobs/<id>/exceptions}), which the cluster keeps for running and finished jobs alike. A job whose
 * restart strategy restarts it on failure restarted once per entry, so a job that "kept running"
 * through bad input has none:
 *
 * <pre>{@code assertThat(JobRestarts.of(FLINK, job.getJobID())).isZero();}</pre>
 *
 * The history holds at most {@code web.exception-history-size} (16) entries: enough to tell none
 * from some.
 */
public final class JobRestarts {
  private JobRestarts() {}

  /**
   * Waits for a bounded {@code job} to finish, and fails the test at its first failure rather than
   * letting it restart on, or when it takes longer than {@code timeout}. A job still running then
   * is cancelled.
   */
  public static void awaitFinishedWithoutFailure(
      MiniClusterExtension flink, JobClient job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        List<String> failures = failures(flink, job.getJobID());
        if (!failures.isEmpty()) {
          throw new AssertionError("the job failed and restarted: " + failures.get(0));
        }
        try {
          job.getJobExecutionResult().get(1, TimeUnit.SECONDS);
          break;
        } catch (TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the job did not finish within " + timeout);
          }
        }
      }
    } finally {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        job.cancel().get();
      }
    }
    JobStatus status = job.getJobStatus().get();
    if (status != JobStatus.FINISHED || of(flink, job.getJobID()) != 0) {
      throw new AssertionError(
          "the job ended " + status + " after " + failures(flink, job.getJobID()));
    }
  }

  /** The number of failures in the job's exception history. */
  public static long of(MiniClusterExtension flink, JobID job) {
    return failures(flink, job).size();
  }

  /** The job's failures as the REST API lists them, each as the exception's name and trace. */
  public static List<String> failures(MiniClusterExtension flink, JobID job) {
    try (RestClusterClient<StandaloneClusterId> client =
        new RestClusterClient<>(
            flink.getClientConfiguration(), StandaloneClusterId.getInstance())) {
      JobExceptionsMessageParameters parameters =
          JobExceptionsHeaders.getInstance().getUnresolvedMessageParameters();
      parameters.jobPathParameter.resolve(job);
      List<RootExceptionInfo> entries =
          client
              .sendRequest(
                  JobExceptionsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance())
              .get()
              .getExceptionHistory()
              .getEntries();
      return entries.stream().map(e -> e.getExceptionName() + ": " + e.getStacktrace()).toList();
    } catch (Exception e) {
      throw new IllegalStateException("could not read the exception history of job " + job, e);
    }
  }
}
