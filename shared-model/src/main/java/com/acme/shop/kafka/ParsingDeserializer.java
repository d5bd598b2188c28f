package com.acme.shop.kafka;

import com.acme.shop.model.EventTimed;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each record inside the Kafka source and never throws; see {@link Parsed}. Besides the
 * parser's schema, it enforces what every job needs from a record: a bounded size, and an event
 * time the watermark can use.
 */
public final class ParsingDeserializer<T> implements KafkaRecordDeserializationSchema<Parsed<T>> {
  /**
   * Larger records are rejected unparsed: well below the producers' 1 MB request limit, so no
   * output derived from an accepted record can be too large for a sink.
   */
  public static final int MAX_RECORD_BYTES = 256 * 1024;

  /** Nothing in the shop happened before the epoch; earlier times are a producer bug. */
  public static final Instant EARLIEST_EVENT_TIME = Instant.EPOCH;

  /** The last instant with a four-digit year; also keeps epoch milliseconds far from overflow. */
  public static final Instant LATEST_EVENT_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

  private final EventParser<T> parser;
  private final TypeInformation<Parsed<T>> producedType;
  private final Duration maxEventTimeAhead;
  private transient Counter skipped;

  /**
   * @param maxEventTimeAhead how far an event's time may be ahead of its record's Kafka timestamp.
   *     The record's timestamp rather than the clock keeps a replay's decisions the same.
   */
  public ParsingDeserializer(
      EventParser<T> parser, TypeInformation<T> eventType, Duration maxEventTimeAhead) {
    this.parser = parser;
    this.producedType = Parsed.typeInfo(eventType);
    this.maxEventTimeAhead = maxEventTimeAhead;
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
    long size = length(record.key()) + length(record.value());
    if (size > MAX_RECORD_BYTES) {
      out.collect(
          Parsed.failed(
              raw,
              "record too large: "
                  + size
                  + " bytes of key and value, the limit is "
                  + MAX_RECORD_BYTES));
      return;
    }
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
    if (event instanceof EventTimed timed) {
      String problem = eventTimeProblem(timed.eventTime(), record.timestamp());
      if (problem != null) {
        out.collect(Parsed.failed(raw, problem));
        return;
      }
    }
    out.collect(Parsed.ok(raw, event));
  }

  /**
   * Why the watermark cannot use this event time, or null when it can. A time far ahead would move
   * the watermark so that every later record is late; one out of a long's milliseconds would fail
   * the timestamp assigner, and with it the source, on every restart.
   *
   * @param recordTimestamp the Kafka record's timestamp, negative when it has none
   */
  private String eventTimeProblem(Instant eventTime, long recordTimestamp) {
    if (eventTime.isBefore(EARLIEST_EVENT_TIME)) {
      return "eventTime " + eventTime + " is before " + EARLIEST_EVENT_TIME;
    }
    if (eventTime.isAfter(LATEST_EVENT_TIME)) {
      return "eventTime " + eventTime + " is after " + LATEST_EVENT_TIME;
    }
    if (recordTimestamp >= 0
        && eventTime.toEpochMilli() - recordTimestamp > maxEventTimeAhead.toMillis()) {
      return "eventTime "
          + eventTime
          + " is more than "
          + maxEventTimeAhead
          + " ahead of the record's timestamp "
          + Instant.ofEpochMilli(recordTimestamp);
    }
    return null;
  }

  private static long length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
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
