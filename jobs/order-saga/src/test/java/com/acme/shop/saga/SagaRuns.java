package com.acme.shop.saga;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.json.Json;
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

/** Runs of the whole job on the MiniCluster against the test's broker, on fresh topics. */
final class SagaRuns {
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

  private SagaRuns() {}

  /** Fresh topics for one run of the job, and the options that point the job at them. */
  record Topics(
      String events, String sagas, String commands, String latency, String dlq, String late) {
    static Topics unique() {
      return new Topics(
          TopicIO.unique("order-events"),
          TopicIO.unique("sagas"),
          TopicIO.unique("commands"),
          TopicIO.unique("latency"),
          TopicIO.unique("dlq"),
          TopicIO.unique("late"));
    }

    Topics create(TopicIO io, int inputPartitions, int outputPartitions) {
      io.create(inputPartitions, events);
      return createOutputs(io, outputPartitions);
    }

    Topics createOutputs(TopicIO io, int outputPartitions) {
      io.create(outputPartitions, sagas, commands, latency);
      io.create(1, dlq, late);
      return this;
    }

    /** Fresh outputs for the same input: a replay. */
    Topics replay() {
      Topics fresh = unique();
      return new Topics(events, fresh.sagas, fresh.commands, fresh.latency, fresh.dlq, fresh.late);
    }

    List<String> options() {
      return List.of(
          "--topic.order-events", events,
          "--topic.saga", sagas,
          "--topic.commands", commands,
          "--topic.payment-latency", latency,
          "--topic.dlq", dlq,
          "--topic.late", late);
    }
  }

  static JobParameters params(KafkaExtension kafka, Topics topics, String... extra) {
    List<String> args = JobArgs.forTest(kafka, TopicIO.unique("order-saga"), "500ms");
    args.addAll(topics.options());
    args.addAll(List.of(extra));
    return OrderSagaJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  /** Starts the job with its Kafka source and sinks. */
  static JobClient start(JobParameters params) throws Exception {
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    OrderSagaJob.build(
        env, params, OrderSagaJob.eventSource(params), OrderSagaJob.Outputs.kafka(params));
    return env.executeAsync(params.runName());
  }

  /** Runs the job bounded to its end, failing at its first restart rather than looping on. */
  static void runBounded(MiniClusterExtension flink, JobParameters params) throws Exception {
    JobRestarts.awaitFinishedWithoutFailure(flink, start(params), JOB_TIMEOUT);
  }

  static <T> List<T> read(KafkaExtension kafka, String topic, Class<T> type) {
    return kafka.topics().readAll(topic).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), type))
        .toList();
  }
}
