package com.acme.shop.flink;

import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The execution environment every job runs in, configured from its parameters. */
public final class JobEnvironment {
  private JobEnvironment() {}

  public static StreamExecutionEnvironment create(JobParameters params) {
    return configure(StreamExecutionEnvironment.getExecutionEnvironment(settings(params)), params);
  }

  /** Applies the job's parameters to an environment a test or tool created. */
  public static StreamExecutionEnvironment configure(
      StreamExecutionEnvironment env, JobParameters params) {
    env.configure(settings(params));
    Integer parallelism = params.get(CommonParams.PARALLELISM);
    if (parallelism != null) {
      env.setParallelism(parallelism);
    }
    // Exactly-once Kafka sinks commit their transactions on checkpoints.
    env.enableCheckpointing(
        params.get(CommonParams.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
    return env;
  }

  /** How a job's {@code main} builds its topology on the environment and parameters it is given. */
  @FunctionalInterface
  public interface Topology {
    void build(StreamExecutionEnvironment env, JobParameters params) throws Exception;
  }

  /**
   * What every job's {@code main} does: nothing after {@code --help} (empty parameters), else
   * builds {@code topology} on an environment {@link #create created} from the parameters and runs
   * it under the run's name.
   */
  public static void run(Optional<JobParameters> parsed, Topology topology) throws Exception {
    if (parsed.isEmpty()) {
      return;
    }
    JobParameters params = parsed.get();
    StreamExecutionEnvironment env = create(params);
    topology.build(env, params);
    env.execute(params.runName());
  }

  private static Configuration settings(JobParameters params) {
    Configuration conf = new Configuration();
    // A job that keeps failing gives up visibly, with its last exception, instead of restarting
    // forever: more than MAX_FAILURES failures within FAILURE_INTERVAL fail it for good.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "failure-rate");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
        CommonParams.MAX_FAILURES);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
        CommonParams.FAILURE_INTERVAL);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY,
        params.get(CommonParams.RESTART_DELAY));
    // Every type must have a Flink serializer; a silent Kryo fallback fails the job at build time.
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    // Events are immutable records, so operators can safely share them instead of copying.
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    String checkpointDir = params.get(CommonParams.CHECKPOINT_DIR);
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
      // Stopping the job (Ctrl-C of scripts/run-local.sh cancels it) keeps its last checkpoint.
      conf.set(
          CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
    String restoreFrom = params.get(CommonParams.RESTORE_FROM);
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    }
    return conf;
  }
}
