package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteParsedRecordsTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  OneInputStreamOperatorTestHarness<Parsed<String>, String> harness;

  @BeforeEach
  void open() throws Exception {
    var route =
        new RouteParsedRecords<String>(
            "test-job", Duration.ofSeconds(2), Clock.fixed(NOW, ZoneOffset.UTC));
    harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(route));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static RawRecord raw(long offset, String value) {
    return new RawRecord(
        "in",
        0,
        offset,
        "k".getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validOnTimeEventsPassThrough() throws Exception {
    harness.processElement(Parsed.ok(raw(0, "a"), "a"), 1_000);
    harness.processWatermark(10_000);
    // 8_001 + 2 s allowed lateness is past the watermark: still on time.
    harness.processElement(Parsed.ok(raw(1, "b"), "b"), 8_001);
    assertThat(harness.extractOutputValues()).containsExactly("a", "b");
    assertThat(harness.getSideOutput(RejectedRecords.LATE)).isNull();
  }

  @Test
  void eventsBeyondTheAllowedLatenessGoToLateAsReceived() throws Exception {
    harness.processWatermark(10_000);
    harness.processElement(Parsed.ok(raw(7, "old"), "old"), 8_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    var late = harness.getSideOutput(RejectedRecords.LATE);
    assertThat(late).hasSize(1);
    RawRecord record = late.peek().getValue();
    assertThat(record.offset()).isEqualTo(7);
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("old");
  }

  @Test
  void unparsableRecordsBecomeDeadLetters() throws Exception {
    harness.processElement(
        new StreamRecord<>(Parsed.failed(raw(3, "{oops"), "not valid JSON"), Long.MIN_VALUE));
    assertThat(harness.extractOutputValues()).isEmpty();
    DeadLetter dl = harness.getSideOutput(RejectedRecords.DEAD_LETTERS).peek().getValue();
    assertThat(dl)
        .extracting(
            DeadLetter::job,
            DeadLetter::sourceTopic,
            DeadLetter::offset,
            DeadLetter::key,
            DeadLetter::value,
            DeadLetter::error,
            DeadLetter::failedAt)
        .containsExactly("test-job", "in", 3L, "k", "{oops", "not valid JSON", NOW);
  }
}
