package com.acme.shop.kafka;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What a source emits for each Kafka record: the parsed event, or the reason it could not be
 * parsed, together with the record as received. Parsing inside the source, rather than in a later
 * operator, lets the source assign timestamps and watermarks per Kafka partition; a failure never
 * throws, so one bad record cannot put the job into a restart loop.
 *
 * <p>A plain POJO rather than a record because it is generic: {@link #typeInfo} builds its Flink
 * type from the event's type so Flink never falls back to Kryo for it.
 */
public class Parsed<T> {
  public String topic;
  public int partition;
  public long offset;
  public byte[] key;
  public byte[] value;

  /** The event, or {@code null} when {@link #error} says why the record was rejected. */
  public T event;

  public String error;

  public Parsed() {}

  public static <T> Parsed<T> ok(RawRecord raw, T event) {
    return of(raw, event, null);
  }

  public static <T> Parsed<T> failed(RawRecord raw, String error) {
    return of(raw, null, error);
  }

  private static <T> Parsed<T> of(RawRecord raw, T event, String error) {
    Parsed<T> p = new Parsed<>();
    p.topic = raw.topic();
    p.partition = raw.partition();
    p.offset = raw.offset();
    p.key = raw.key();
    p.value = raw.value();
    p.event = event;
    p.error = error;
    return p;
  }

  public boolean isValid() {
    return error == null;
  }

  public RawRecord raw() {
    return new RawRecord(topic, partition, offset, key, value);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> TypeInformation<Parsed<T>> typeInfo(TypeInformation<T> eventType) {
    return (TypeInformation)
        Types.POJO(
            Parsed.class,
            Map.of(
                "topic", Types.STRING,
                "partition", Types.INT,
                "offset", Types.LONG,
                "key", Types.PRIMITIVE_ARRAY(Types.BYTE),
                "value", Types.PRIMITIVE_ARRAY(Types.BYTE),
                "event", eventType,
                "error", Types.STRING));
  }
}
