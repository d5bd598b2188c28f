package com.acme.shop.testing;

import java.util.ArrayList;
import java.util.List;

/** The options every job's tests start a run with; each test adds its topics and its own. */
public final class JobArgs {
  private JobArgs() {}

  /**
   * Against the test's broker, from the earliest offsets, at parallelism 2 (so every shuffle and
   * every multi-subtask watermark is exercised), checkpointing every {@code checkpointInterval}
   * (exactly-once output becomes visible at checkpoints); named {@code jobName} unless it is null.
   * The list is the caller's to extend.
   */
  public static List<String> forTest(
      KafkaExtension kafka, String jobName, String checkpointInterval) {
    return forTest(kafka.bootstrapServers(), jobName, checkpointInterval);
  }

  /** As {@link #forTest(KafkaExtension, String, String)}, against {@code bootstrapServers}. */
  public static List<String> forTest(
      String bootstrapServers, String jobName, String checkpointInterval) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                bootstrapServers,
                "--starting-offsets",
                "earliest",
                "--parallelism",
                "2",
                "--checkpoint-interval",
                checkpointInterval));
    if (jobName != null) {
      args.addAll(List.of("--job-name", jobName));
    }
    return args;
  }
}
