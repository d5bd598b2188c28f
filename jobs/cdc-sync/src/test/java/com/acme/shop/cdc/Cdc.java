package com.acme.shop.cdc;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.model.CategorySales;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.TopicIO;
import com.acme.shop.testing.TopicIO.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Runs the job against a test broker and reads its read models back as compacted maps. */
final class Cdc {
  private Cdc() {}

  static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

  /** The options of a test run on {@code topics}, then {@code extra}, which may override any. */
  static JobParameters params(
      String bootstrapServers, CdcTopics topics, String jobName, String... extra) {
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
                "500ms",
                // No partition may go idle on the wall clock while a run waits for the test.
                "--idleness",
                "10min",
                "--job-name",
                jobName));
    args.addAll(topics.options());
    args.addAll(List.of(extra));
    return CdcSyncJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  static JobClient start(JobParameters params) throws Exception {
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    CdcSyncJob.build(
        env, params, CdcSyncJob.Sources.kafka(params), CdcSyncJob.Outputs.kafka(params));
    return env.executeAsync(params.runName());
  }

  /** Runs the job bounded to its end, failing at its first restart rather than looping on. */
  static void runBounded(MiniClusterExtension flink, JobParameters params) throws Exception {
    runBounded(flink, params, JOB_TIMEOUT);
  }

  static void runBounded(MiniClusterExtension flink, JobParameters params, Duration timeout)
      throws Exception {
    JobRestarts.awaitFinishedWithoutFailure(flink, start(params), timeout);
  }

  /** The latest value per key, tombstones removing the key: what compaction leaves. */
  static Map<String, String> compacted(TopicIO io, String topic) {
    Map<String, String> latest = new LinkedHashMap<>();
    for (Received r : io.readAll(topic)) {
      if (r.value() == null) {
        latest.remove(r.key());
      } else {
        latest.put(r.key(), r.value());
      }
    }
    return latest;
  }

  static <T> Map<String, T> compacted(TopicIO io, String topic, Class<T> type) {
    Map<String, T> out = new TreeMap<>();
    compacted(io, topic)
        .forEach((k, v) -> out.put(k, Json.parse(v.getBytes(StandardCharsets.UTF_8), type)));
    return out;
  }

  /** The three read models of a run, as compacted maps. */
  record Views(
      Map<String, OrderEnriched> enriched,
      Map<String, CategorySales> byCategory,
      Map<String, CustomerSummary> summary) {}

  static Views views(TopicIO io, CdcTopics topics) {
    return new Views(
        compacted(io, topics.enriched(), OrderEnriched.class),
        compacted(io, topics.byCategory(), CategorySales.class),
        compacted(io, topics.summary(), CustomerSummary.class));
  }
}
