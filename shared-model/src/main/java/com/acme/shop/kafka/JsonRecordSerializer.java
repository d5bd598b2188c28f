package com.acme.shop.kafka;

import com.acme.shop.json.Json;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a value as the contract's JSON with its entity id as the UTF-8 key. A value for which
 * {@code valueOf} returns null is written as a tombstone, which upsert read models use for deletes.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
  /** Picks what a record is keyed by. */
  @FunctionalInterface
  public interface KeyOf<T> extends Serializable {
    String key(T value);
  }

  /** Picks what is written as the value; {@code null} writes a tombstone. */
  @FunctionalInterface
  public interface ValueOf<T> extends Serializable {
    Object value(T value);
  }

  private final String topic;
  private final KeyOf<T> keyOf;
  private final ValueOf<T> valueOf;

  public JsonRecordSerializer(String topic, KeyOf<T> keyOf, ValueOf<T> valueOf) {
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
        kafkaTimestamp(timestamp),
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : Json.bytes(value));
  }

  /** Kafka refuses negative timestamps; records without an event time let the broker stamp them. */
  static Long kafkaTimestamp(Long timestamp) {
    return timestamp == null || timestamp < 0 ? null : timestamp;
  }
}
