package com.acme.shop.kafka;

import com.acme.shop.params.CommonParams;
import com.acme.shop.params.JobParameters;
import com.acme.shop.params.KafkaClientProperties;
import com.acme.shop.topics.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * Builds every job's Kafka sinks the same way: exactly-once unless told otherwise, and {@link
 * LeakFreeKafkaSink leak-free}.
 */
public final class KafkaSinks {
  private KafkaSinks() {}

  /** JSON values, keyed as the topic declares. */
  public static <T> Sink<T> json(JobParameters params, Topic<T> topic) {
    return json(params, topic, value -> value);
  }

  /**
   * JSON values, keyed as the topic declares, where {@code valueOf} may return null for a
   * tombstone.
   */
  public static <T> Sink<T> json(
      JobParameters params, Topic<T> topic, JsonRecordSerializer.ValueOf<T> valueOf) {
    return build(
        params, topic, new JsonRecordSerializer<>(params.topic(topic), topic.keyOf(), valueOf));
  }

  /** The job's dead-letter topic, keyed like the record it wraps. */
  public static Sink<DeadLetter> deadLetters(JobParameters params) {
    return json(params, RejectedTopics.deadLetters(params.job()));
  }

  /** The job's late topic, holding records exactly as received. */
  public static Sink<RawRecord> late(JobParameters params) {
    Topic<RawRecord> topic = RejectedTopics.late(params.job());
    return build(params, topic, new RawRecordSerializer(params.topic(topic)));
  }

  /**
   * A sink writing raw key and value bytes to the topic each record names, one of {@code topics}.
   */
  public static Sink<RawRecord> rawToOwnTopic(
      JobParameters params, String sinkName, List<String> topics) {
    return build(params, sinkName, RawRecordSerializer.toOwnTopic(topics));
  }

  private static <T> Sink<T> build(
      JobParameters params, Topic<T> topic, KafkaRecordSerializationSchema<T> serializer) {
    return build(params, topic.name(), serializer);
  }

  private static <T> Sink<T> build(
      JobParameters params, String sinkName, KafkaRecordSerializationSchema<T> serializer) {
    DeliveryGuarantee guarantee = params.get(CommonParams.DELIVERY_GUARANTEE);
    Duration timeout = params.get(CommonParams.TRANSACTION_TIMEOUT);
    KafkaSink<T> sink =
        KafkaSink.<T>builder()
            .setKafkaProducerConfig(KafkaClientProperties.of(params))
            .setRecordSerializer(serializer)
            .setDeliveryGuarantee(guarantee)
            // Unique per run and sink (see JobParameters.runName), and stable across restarts,
            // so a restarted job can abort the transactions its previous attempt left open.
            .setTransactionalIdPrefix(params.runName() + "." + sinkName)
            // A small pool of transactional ids per subtask, reused, rather than a new id for
            // every checkpoint: the broker keeps each id for 7 days (transactional.id.expiration
            // .ms), which with the default naming is one per sink, subtask and checkpoint. On
            // start it aborts only what is open on its own topics under its own prefix, instead
            // of probing ids that another run might be using.
            .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
            .setProperty("transaction.timeout.ms", Long.toString(timeout.toMillis()))
            .setProperty("enable.idempotence", "true")
            .setProperty("acks", "all")
            .setProperty("compression.type", "lz4")
            .setProperty("linger.ms", "5")
            .build();
    return new LeakFreeKafkaSink<>(sink);
  }
}
