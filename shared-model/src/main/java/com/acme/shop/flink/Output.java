package com.acme.shop.flink;

import com.acme.shop.params.JobParameters;
import com.acme.shop.topics.Topic;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Attaches a job's sinks the same way everywhere: a stable uid and a name that shows the topic. */
public final class Output {
  private Output() {}

  /**
   * Writes {@code stream} to {@code sink}. The uid derives from the topic's logical name, which
   * {@code --topic.<name>} does not change, so a savepoint still matches after a topic is renamed.
   */
  public static <T> void write(
      DataStream<T> stream, Sink<T> sink, JobParameters params, Topic<T> topic) {
    stream.sinkTo(sink).uid(topic.name() + "-sink").name("to " + params.topic(topic));
  }
}
