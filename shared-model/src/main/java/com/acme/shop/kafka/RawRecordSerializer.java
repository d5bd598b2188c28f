package com.acme.shop.kafka;

import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Forwards a record's key and value bytes unchanged: to one topic (a late topic), or, when built
 * with {@link #toOwnTopic}, to the topic each record names (datagen). Timestamps as in {@link
 * JsonRecordSerializer#WRITE_TIME}.
 */
public final class RawRecordSerializer
    implements KafkaRecordSerializationSchema<RawRecord>, KafkaDatasetFacetProvider {
  /** The one topic written to, or null when each record names its own. */
  private final String topic;

  private final List<String> topics;

  public RawRecordSerializer(String topic) {
    this.topic = topic;
    this.topics = List.of(topic);
  }

  private RawRecordSerializer(List<String> topics) {
    this.topic = null;
    this.topics = List.copyOf(topics);
  }

  /** Writes each record to the topic it names, which must be one of {@code topics}. */
  public static RawRecordSerializer toOwnTopic(List<String> topics) {
    return new RawRecordSerializer(topics);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      RawRecord element, KafkaSinkContext context, Long timestamp) {
    String target = topic != null ? topic : element.topic();
    if (topic == null && !topics.contains(target)) {
      throw new IllegalArgumentException(
          "record for topic " + target + ", but this sink writes only " + topics);
    }
    return new ProducerRecord<>(
        target, null, JsonRecordSerializer.WRITE_TIME, element.key(), element.value());
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return JsonRecordSerializer.topicFacet(topics);
  }
}
