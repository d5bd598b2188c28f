package com.acme.shop.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Parses each record inside the Kafka source and never throws; see {@link Parsed}. */
public final class ParsingDeserializer<T> implements KafkaRecordDeserializationSchema<Parsed<T>> {
  private final EventParser<T> parser;
  private final TypeInformation<Parsed<T>> producedType;
  private transient Counter skipped;

  public ParsingDeserializer(EventParser<T> parser, TypeInformation<T> eventType) {
    this.parser = parser;
    this.producedType = Parsed.typeInfo(eventType);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    skipped = context.getMetricGroup().counter("recordsSkipped");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Parsed<T>> out) {
    RawRecord raw =
        new RawRecord(
            record.topic(), record.partition(), record.offset(), record.key(), record.value());
    T event;
    try {
      event = parser.parse(record.value());
    } catch (Exception | StackOverflowError e) {
      out.collect(Parsed.failed(raw, reason(e)));
      return;
    }
    if (event == null) {
      if (skipped != null) {
        skipped.inc();
      }
      return;
    }
    out.collect(Parsed.ok(raw, event));
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @Override
  public TypeInformation<Parsed<T>> getProducedType() {
    return producedType;
  }
}
