package com.acme.shop.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Forwards a record's key and value bytes unchanged, e.g. to a late topic. */
public final class RawRecordSerializer implements KafkaRecordSerializationSchema<RawRecord> {
  private final String topic;

  public RawRecordSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      RawRecord element, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        JsonRecordSerializer.kafkaTimestamp(timestamp),
        element.key(),
        element.value());
  }
}
