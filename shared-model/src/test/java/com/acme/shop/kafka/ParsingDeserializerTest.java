package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.Change;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ProductRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParsingDeserializerTest {
  static final Instant RECORD_TIME = Instant.parse("2026-11-23T10:00:00Z");
  static final long NO_TIMESTAMP = ConsumerRecord.NO_TIMESTAMP;

  final ParsingDeserializer<ClickEvent> clicks =
      new ParsingDeserializer<>(
          EventParser.json(ClickEvent.class),
          TypeInformation.of(ClickEvent.class),
          Duration.ofHours(1));

  static String click(String eventTime) {
    return """
        {"eventId":"e1","userId":"42","sessionId":"s1","type":"page_view","page":"/home",\
        "eventTime":"%s"}"""
        .formatted(eventTime);
  }

  static ConsumerRecord<byte[], byte[]> record(long timestamp, byte[] key, byte[] value) {
    return new ConsumerRecord<>(
        "web.clickstream",
        0,
        7,
        timestamp,
        timestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  static ConsumerRecord<byte[], byte[]> record(long timestamp, String value) {
    return record(timestamp, utf8("42"), value == null ? null : utf8(value));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> List<Parsed<T>> deserialize(
      ParsingDeserializer<T> deserializer, ConsumerRecord<byte[], byte[]> record) {
    List<Parsed<T>> out = new ArrayList<>();
    deserializer.deserialize(
        record,
        new Collector<>() {
          @Override
          public void collect(Parsed<T> parsed) {
            out.add(parsed);
          }

          @Override
          public void close() {}
        });
    return out;
  }

  /** The one record the deserializer emitted, which must be a failure; its reason. */
  String failure(ConsumerRecord<byte[], byte[]> record) {
    List<Parsed<ClickEvent>> out = deserialize(clicks, record);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).isValid()).isFalse();
    assertThat(out.get(0).event).isNull();
    assertThat(out.get(0).value).isEqualTo(record.value()); // kept as received
    return out.get(0).error;
  }

  ClickEvent accepted(ConsumerRecord<byte[], byte[]> record) {
    List<Parsed<ClickEvent>> out = deserialize(clicks, record);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).error).isNull();
    return out.get(0).event;
  }

  @Test
  void emitsAValidEventWithItsRecord() {
    ConsumerRecord<byte[], byte[]> record =
        record(RECORD_TIME.toEpochMilli(), click("2026-11-23T09:15:00.250Z"));
    List<Parsed<ClickEvent>> out = deserialize(clicks, record);
    assertThat(out).singleElement().satisfies(p -> assertThat(p.offset).isEqualTo(7));
    assertThat(out.get(0).event.eventTime()).isEqualTo(Instant.parse("2026-11-23T09:15:00.250Z"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "year 300000000   | +300000000-01-01T00:00:00Z | eventTime +300000000-01-01T00:00:00Z is"
            + " after 9999-12-31T23:59:59.999Z",
        "year -1          | -0001-01-01T00:00:00Z      | eventTime -0001-01-01T00:00:00Z is before"
            + " 1970-01-01T00:00:00Z",
        "before the epoch | 1969-12-31T23:59:59.999Z   | eventTime 1969-12-31T23:59:59.999Z is"
            + " before 1970-01-01T00:00:00Z",
        "year 2099        | 2099-01-01T00:00:00Z       | eventTime 2099-01-01T00:00:00Z is more than"
            + " PT1H ahead of the record's timestamp 2026-11-23T10:00:00Z",
        "2 h ahead        | 2026-11-23T12:00:00Z       | eventTime 2026-11-23T12:00:00Z is more than"
            + " PT1H ahead of the record's timestamp 2026-11-23T10:00:00Z",
      })
  void rejectsAnEventTimeTheWatermarkCannotUse(String kind, String eventTime, String reason) {
    assertThat(failure(record(RECORD_TIME.toEpochMilli(), click(eventTime)))).isEqualTo(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "1970-01-01T00:00:00Z", // the epoch itself
    "2026-11-23T11:00:00Z", // exactly the tolerance ahead
    "2026-11-23T09:00:00Z", // behind the record: only the watermark decides whether that is late
  })
  void acceptsAnEventTimeWithinTheBounds(String eventTime) {
    assertThat(accepted(record(RECORD_TIME.toEpochMilli(), click(eventTime))).eventTime())
        .isEqualTo(Instant.parse(eventTime));
  }

  @Test
  void withoutARecordTimestampOnlyTheAbsoluteBoundsApply() {
    assertThat(accepted(record(NO_TIMESTAMP, click("9999-12-31T23:59:59.999Z"))).eventTime())
        .isEqualTo(ParsingDeserializer.LATEST_EVENT_TIME);
    assertThat(failure(record(NO_TIMESTAMP, click("+10000-01-01T00:00:00Z"))))
        .isEqualTo("eventTime +10000-01-01T00:00:00Z is after 9999-12-31T23:59:59.999Z");
    assertThat(failure(record(NO_TIMESTAMP, click("1969-12-31T23:59:59Z"))))
        .startsWith("eventTime 1969-12-31T23:59:59Z is before");
  }

  @Test
  void theToleranceIsAnOption() {
    var lenient =
        new ParsingDeserializer<>(
            EventParser.json(ClickEvent.class),
            TypeInformation.of(ClickEvent.class),
            Duration.ofDays(365 * 100));
    assertThat(
            deserialize(lenient, record(RECORD_TIME.toEpochMilli(), click("2099-01-01T00:00:00Z"))))
        .singleElement()
        .satisfies(p -> assertThat(p.isValid()).isTrue());
  }

  @Test
  void rejectsAnOversizedRecordWithoutParsingIt() {
    // Valid JSON, and a valid event but for its size.
    String page = "/p/" + "x".repeat(ParsingDeserializer.MAX_RECORD_BYTES);
    String json = click("2026-11-23T09:15:00Z").replace("/home", page);
    assertThat(failure(record(RECORD_TIME.toEpochMilli(), json)))
        .isEqualTo(
            "record too large: "
                + (2 + utf8(json).length)
                + " bytes of key and value, the limit is 262144");
  }

  @Test
  void anOversizedKeyCountsToo() {
    byte[] key = new byte[ParsingDeserializer.MAX_RECORD_BYTES];
    assertThat(failure(record(NO_TIMESTAMP, key, utf8(click("2026-11-23T09:15:00Z")))))
        .startsWith("record too large: ");
  }

  @Test
  void aRecordJustWithinTheLimitIsParsed() {
    String json = click("2026-11-23T09:15:00Z");
    String padded =
        json.replace(
            "/home",
            "/" + "x".repeat(ParsingDeserializer.MAX_RECORD_BYTES - 2 - utf8(json).length + 4));
    assertThat(utf8(padded).length + 2).isEqualTo(ParsingDeserializer.MAX_RECORD_BYTES);
    assertThat(accepted(record(RECORD_TIME.toEpochMilli(), padded)).page()).startsWith("/xxx");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "truncated       | {\"eventId\":\"e1\",         | not valid JSON",
        "not an object   | [1,2]                         | wrong type",
        "JSON null       | null                          | value is JSON null",
        "duplicate field | {\"eventId\":\"e1\",\"eventId\":\"e2\"} | Duplicate field 'eventId'",
      })
  void aBrokenRecordBecomesAFailureNotAnException(String kind, String value, String reason) {
    assertThat(failure(record(RECORD_TIME.toEpochMilli(), value))).contains(reason);
  }

  @Test
  void invalidUtf8BecomesAFailure() {
    byte[] bytes = {(byte) 0xff, 0x00, 0x13};
    assertThat(failure(record(RECORD_TIME.toEpochMilli(), utf8("42"), bytes)))
        .startsWith("not valid JSON");
  }

  @Test
  void aRecordWithoutAValueBecomesAFailure() {
    assertThat(failure(record(RECORD_TIME.toEpochMilli(), null))).isEqualTo("record has no value");
  }

  @Test
  void aDebeziumTombstoneIsSkipped() {
    var products =
        new ParsingDeserializer<>(
            EventParser.debezium(ProductRow.class),
            TypeInformation.of(new TypeHint<Change<ProductRow>>() {}),
            Duration.ofHours(1));
    assertThat(deserialize(products, record(NO_TIMESTAMP, utf8("{\"id\":3}"), null))).isEmpty();
  }

  @Test
  void aParserThatThrowsAnythingBecomesAFailure() {
    var throwing =
        new ParsingDeserializer<ClickEvent>(
            value -> {
              throw new IllegalStateException();
            },
            TypeInformation.of(ClickEvent.class),
            Duration.ofHours(1));
    assertThat(deserialize(throwing, record(NO_TIMESTAMP, "{}")))
        .singleElement()
        .satisfies(p -> assertThat(p.error).isEqualTo("IllegalStateException"));
  }
}
