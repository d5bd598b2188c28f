package com.acme.shop.kafka;

import com.acme.shop.json.Json;
import com.acme.shop.topics.Topic;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a value as the contract's JSON with its entity id as the UTF-8 key. A value for which
 * {@code valueOf} returns null is written as a tombstone, which upsert read models use for deletes.
 */
public final class JsonRecordSerializer<T>
    implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
  /** Picks what is written as the value; {@code null} writes a tombstone. */
  @FunctionalInterface
  public interface ValueOf<T> extends Serializable {
    Object value(T value);
  }

  private final String topic;
  private final Topic.KeyOf<T> keyOf;
  private final ValueOf<T> valueOf;

  public JsonRecordSerializer(String topic, Topic.KeyOf<T> keyOf, ValueOf<T> valueOf) {
    this.topic = topic;
    this.keyOf = keyOf;
    this.valueOf = valueOf;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String key = keyOf.key(element);
    Object value = valueOf.value(element);
    return new ProducerRecord<>(
        topic,
        null,
        WRITE_TIME,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : Json.bytes(value));
  }

  /**
   * The Kafka timestamp of every record a job writes: none, so the producer stamps it with the time
   * of writing, as any plain producer does. Event time travels in the value. Stamping records with
   * their event time instead loses data both ways: the broker refuses a timestamp more than an hour
   * ahead of its clock ({@code log.message.timestamp.after.max.ms}), which put a job into a restart
   * loop when events came from a fast clock, and time-based retention deletes, within minutes,
   * output whose event time is older than {@code retention.ms}, such as a rebuild over last month's
   * data.
   */
  static final Long WRITE_TIME = null;

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return topicFacet(List.of(topic));
  }

  /** The topics a sink writes; exactly-once sinks look for their open transactions on them. */
  static Optional<KafkaDatasetFacet> topicFacet(List<String> topics) {
    return Optional.of(
        new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(topics)));
  }
}
