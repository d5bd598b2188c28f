package com.acme.shop.bench;

import com.acme.shop.datagen.GeneratorSettings;
import com.acme.shop.datagen.TopicGenerator;
import com.acme.shop.kafka.RawRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The generated input every benchmark writes before it measures, the same way for every job. */
final class Load {
  private Load() {}

  static final Instant START = Instant.parse("2026-11-23T00:00:00Z");

  /** Seed 1, 10 ms of event time apart, 1% planted patterns, 0.1% bad, nothing late. */
  static GeneratorSettings settings() {
    return new GeneratorSettings(
        1, START, Duration.ofMillis(10), 0.01, 0.001, 0, Duration.ofSeconds(2));
  }

  /** A producer tuned for loading: large lz4 batches. */
  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(props);
  }

  /** The first {@code count} records of {@code generator}, to {@code topic}. */
  static void write(String bootstrap, TopicGenerator generator, String topic, long count) {
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      for (long i = 0; i < count; i++) {
        RawRecord record = generator.map(i);
        producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
      }
      producer.flush();
    }
  }
}
