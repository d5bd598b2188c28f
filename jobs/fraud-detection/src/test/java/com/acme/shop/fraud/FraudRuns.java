package com.acme.shop.fraud;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.JobArgs;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Runs of the whole job on the MiniCluster against the test's broker. */
final class FraudRuns {
  private FraudRuns() {}

  static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

  static JobParameters params(KafkaExtension kafka, RunTopics topics, String... extra) {
    List<String> args = JobArgs.forTest(kafka, TopicIO.unique("fraud-detection"), "500ms");
    args.addAll(topics.options());
    args.addAll(List.of(extra));
    return FraudDetectionJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  /** Starts the job with its Kafka sources and sinks. */
  static JobClient start(JobParameters params) throws Exception {
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    FraudDetectionJob.build(
        env,
        params,
        FraudDetectionJob.transactionSource(params),
        FraudDetectionJob.loginSource(params),
        FraudDetectionJob.Outputs.kafka(params));
    return env.executeAsync(params.runName());
  }

  /** Runs the job bounded to its end, failing at its first restart rather than looping on. */
  static void runBounded(MiniClusterExtension flink, JobParameters params) throws Exception {
    JobRestarts.awaitFinishedWithoutFailure(flink, start(params), JOB_TIMEOUT);
  }

  static List<FraudAlert> alerts(KafkaExtension kafka, String topic) {
    return kafka.topics().readAll(topic).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), FraudAlert.class))
        .toList();
  }

  /** An alert without {@code detectedAt}, the one field taken from the clock. */
  record Detected(
      String alertId,
      String rule,
      String key,
      List<String> eventIds,
      String firstEventTime,
      String lastEventTime,
      java.util.Map<String, String> details) {

    static Detected of(FraudAlert a) {
      return new Detected(
          a.alertId(),
          a.rule().name(),
          a.key(),
          a.eventIds(),
          a.firstEventTime().toString(),
          a.lastEventTime().toString(),
          a.details());
    }

    /** As {@link #of}, without the id either, to compare with alerts computed by the test. */
    Detected withoutId() {
      return new Detected(null, rule, key, eventIds, firstEventTime, lastEventTime, details);
    }
  }
}
