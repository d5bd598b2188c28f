package com.acme.shop.flink;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.EventTimed;
import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.topics.Topic;
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
    String name = topic.name();
    SingleOutputStreamOperator<T> events =
        env.fromSource(source, Watermarks.<T>forParsed(params), name + "-source")
            .uid(name + "-source")
            .process(
                new RouteParsedRecords<T>(
                    params.job(),
                    params.get(CommonParams.ALLOWED_LATENESS),
                    Watermarks.steps(params)),
                topic.type())
            .uid(name + "-route")
            .name(name + ": parse, route dead letters and late records");
    return new Input<>(
        events,
        events.getSideOutput(RejectedRecords.DEAD_LETTERS),
        events.getSideOutput(RejectedRecords.LATE));
  }
}
