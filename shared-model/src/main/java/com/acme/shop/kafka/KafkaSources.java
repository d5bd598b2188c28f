package com.acme.shop.kafka;

import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.params.KafkaClientProperties;
import com.acme.shop.params.StartingOffsets;
import com.acme.shop.topics.Topic;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** Builds every job's Kafka sources the same way. */
public final class KafkaSources {
  private KafkaSources() {}

  /**
   * A source of parsed events from one topic: reads only committed data (so it never sees the
   * aborted output of an exactly-once producer), starts where {@code --starting-offsets} says, and
   * with {@code --bounded} stops at the offsets that were the latest when the job started and
   * commits them for the consumer group at the end (see {@link FinalOffsetsCommittingSource}).
   * {@code parser} turns a value into the topic's type.
   */
  public static <T> Source<Parsed<T>, ?, ?> parsed(
      JobParameters params, Topic<T> topic, EventParser<T> parser) {
    return parsed(params, topic, parser, params.get(CommonParams.STARTING_OFFSETS));
  }

  /**
   * {@link #parsed(JobParameters, Topic, EventParser)} starting at {@code startingOffsets} instead
   * of {@code --starting-offsets}: for an input that must be read from a fixed place whatever the
   * other inputs do, such as an event store that a fresh projection reads from its beginning.
   */
  public static <T> Source<Parsed<T>, ?, ?> parsed(
      JobParameters params,
      Topic<T> topic,
      EventParser<T> parser,
      StartingOffsets startingOffsets) {
    Properties clientProperties = KafkaClientProperties.of(params);
    KafkaSourceBuilder<Parsed<T>> builder =
        KafkaSource.<Parsed<T>>builder()
            .setProperties(clientProperties)
            .setTopics(params.topic(topic))
            .setGroupId(params.runName())
            .setClientIdPrefix(params.runName() + "-" + topic.name())
            .setStartingOffsets(startingOffsets.initializer())
            .setDeserializer(
                new ParsingDeserializer<>(
                    parser, topic.type(), params.get(CommonParams.MAX_EVENT_TIME_AHEAD)))
            .setProperty("isolation.level", "read_committed")
            // FinalOffsetsCommittingSource commits instead, in order and also at the end.
            .setProperty("commit.offsets.on.checkpoint", "false")
            // Lets the source follow partitions added to the topic while the job runs.
            .setProperty("partition.discovery.interval.ms", "60000");
    if (params.get(CommonParams.BOUNDED)) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return new FinalOffsetsCommittingSource<>(builder.build(), clientProperties, params.runName());
  }
}
