package com.acme.shop.flink;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.EventTimed;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.topics.Topic;
import java.time.Duration;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One input topic of a job after parsing and routing: its valid, on-time events, with event-time
 * timestamps and watermarks, and the records it rejected as dead letters or late.
 */
public record Input<T>(
    DataStream<T> events, DataStream<DeadLetter> deadLetters, DataStream<RawRecord> late) {

  /**
   * Reads {@code source}, a source of {@code topic}, with the job's watermark strategy and routes
   * its records. Operator uids derive from the topic's logical name, which {@code --topic.<name>}
   * does not change, so a savepoint still matches after the topic is renamed.
   */
  public static <T extends EventTimed> Input<T> read(
      StreamExecutionEnvironment env,
      Source<Parsed<T>, ?, ?> source,
      JobParameters params,
      Topic<T> topic) {
    return read(env, source, params, topic, params.get(CommonParams.ALLOWED_LATENESS));
  }

  /**
   * No event time is this far behind a watermark: with it every valid record is on time. The sum
   * with any event time the parser accepts still fits in a long.
   */
  static final Duration NEVER_LATE = Duration.ofMillis(Long.MAX_VALUE / 4);

  /**
   * Reads {@code topic} as {@link #read} does, except that no record is ever late: for a topic
   * whose every record must be applied whatever its event time, such as an event store, where
   * skipping one would leave a gap. Dead letters are routed as by {@link #read}; {@link #late} is
   * empty.
   */
  public static <T extends EventTimed> Input<T> readEveryRecord(
      StreamExecutionEnvironment env,
      Source<Parsed<T>, ?, ?> source,
      JobParameters params,
      Topic<T> topic) {
    return read(env, source, params, topic, NEVER_LATE);
  }

  private static <T extends EventTimed> Input<T> read(
      StreamExecutionEnvironment env,
      Source<Parsed<T>, ?, ?> source,
      JobParameters params,
      Topic<T> topic,
      Duration allowedLateness) {
    String name = topic.name();
    SingleOutputStreamOperator<T> events =
        env.fromSource(source, Watermarks.<T>forParsed(params), name + "-source")
            .uid(name + "-source")
            .process(
                new RouteParsedRecords<T>(params.job(), allowedLateness, Watermarks.steps(params)),
                topic.type())
            .uid(name + "-route")
            .name(name + ": parse, route dead letters and late records");
    return new Input<>(
        events,
        events.getSideOutput(RejectedRecords.DEAD_LETTERS),
        events.getSideOutput(RejectedRecords.LATE));
  }
}
