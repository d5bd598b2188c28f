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
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router on its own: with a 5 s out-of-orderness bound and 2 s allowed lateness, a record is
 * late when {@code eventTime + 2 s} is at or behind its partition's watermark, the highest event
 * time of that partition so far minus 5 s and 1 ms, on whole seconds.
 */
class RouteParsedRecordsTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final SteppedWatermark STEPS = Watermarks.steps(Duration.ofSeconds(5));

  OneInputStreamOperatorTestHarness<Parsed<String>, String> harness;

  static OneInputStreamOperatorTestHarness<Parsed<String>, String> router(
      int parallelism, int subtask) throws Exception {
    var route =
        new RouteParsedRecords<String>(
            "test-job", Duration.ofSeconds(2), STEPS, Clock.fixed(NOW, ZoneOffset.UTC));
    return new OneInputStreamOperatorTestHarness<>(
        new ProcessOperator<>(route), 128, parallelism, subtask);
  }

  @BeforeEach
  void open() throws Exception {
    harness = router(1, 0);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static RawRecord raw(int partition, long offset, String value) {
    return new RawRecord(
        "in",
        partition,
        offset,
        "k".getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  /** A valid record of partition {@code partition} whose event and value are {@code name}. */
  record In(int partition, long offset, String name, long eventTime) {
    StreamRecord<Parsed<String>> record() {
      return new StreamRecord<>(Parsed.ok(raw(partition, offset, name), name), eventTime);
    }
  }

  static List<String> lateValues(OneInputStreamOperatorTestHarness<?, ?> h) {
    Queue<StreamRecord<RawRecord>> late = h.getSideOutput(RejectedRecords.LATE);
    return late == null
        ? List.of()
        : late.stream().map(r -> new String(r.getValue().value(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aRecordIsJudgedByItsPartitionsWatermarkWithTheAllowedLateness() throws Exception {
    harness.processElement(new In(0, 0, "a", 15_000).record()); // partition watermark 9_999
    // 8_000 + 2 s allowed lateness is past the watermark: still on time.
    harness.processElement(new In(0, 1, "b", 8_000).record());
    // 7_999 + 2 s is at the watermark: late.
    harness.processElement(new In(0, 2, "c", 7_999).record());
    assertThat(harness.extractOutputValues()).containsExactly("a", "b");
    assertThat(lateValues(harness)).containsExactly("c");
  }

  @Test
  void lateRecordsGoToLateAsReceived() throws Exception {
    harness.processElement(new In(0, 0, "new", 15_000).record());
    harness.processElement(new In(0, 7, "old", 1_000).record());
    assertThat(harness.extractOutputValues()).containsExactly("new");
    RawRecord record = harness.getSideOutput(RejectedRecords.LATE).peek().getValue();
    assertThat(record.partition()).isZero();
    assertThat(record.offset()).isEqualTo(7);
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("old");
  }

  // Two partitions, each in order within itself; p1 runs about ten seconds behind p0.
  static final List<In> P0 =
      List.of(
          new In(0, 0, "p0-a", 20_000),
          new In(0, 1, "p0-b", 13_000), // watermark 14_999: on time with 2 s lateness
          new In(0, 2, "p0-c", 12_000), // late
          new In(0, 3, "p0-d", 30_000));
  static final List<In> P1 =
      List.of(
          new In(1, 0, "p1-a", 10_000),
          new In(1, 1, "p1-b", 4_000), // watermark 4_999: on time
          new In(1, 2, "p1-c", 2_999), // late
          new In(1, 3, "p1-d", 11_000));

  @Test
  void theLateSetIsTheSameHoweverTheFetchesOfPartitionsInterleave() throws Exception {
    // All of p0 first. The subtask's watermark, here as the source would emit it with p1 idle,
    // is far ahead of p1's own: judged by it, all of p1 would be late.
    for (In in : P0) {
      harness.processElement(in.record());
    }
    harness.processWatermark(24_999);
    for (In in : P1) {
      harness.processElement(in.record());
    }
    List<String> lateP0First = lateValues(harness);

    // Strictly alternating, with the subtask's watermark the minimum of the two.
    try (var alternating = router(1, 0)) {
      alternating.open();
      for (int i = 0; i < P0.size(); i++) {
        alternating.processElement(P1.get(i).record());
        alternating.processElement(P0.get(i).record());
      }
      assertThat(lateValues(alternating)).containsExactlyInAnyOrderElementsOf(lateP0First);
      assertThat(alternating.extractOutputValues())
          .containsExactlyInAnyOrderElementsOf(harness.extractOutputValues());
    }
    assertThat(lateP0First).containsExactlyInAnyOrder("p0-c", "p1-c");
  }

  @Test
  void aRestoredRouterJudgesLikeTheOneThatWasCheckpointed() throws Exception {
    harness.processElement(new In(0, 0, "p0-a", 20_000).record());
    harness.processElement(new In(1, 0, "p1-a", 10_000).record());
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);

    try (var restored = router(1, 0)) {
      restored.initializeState(snapshot);
      restored.open();
      // The restored operator's own watermark starts from nothing; the partitions' do not.
      restored.processElement(new In(0, 1, "p0-late", 12_000).record());
      restored.processElement(new In(1, 1, "p1-late", 2_999).record());
      restored.processElement(new In(1, 2, "p1-on-time", 3_000).record());
      assertThat(lateValues(restored)).containsExactly("p0-late", "p1-late");
      assertThat(restored.extractOutputValues()).containsExactly("p1-on-time");
    }
  }

  @Test
  void afterRescalingEverySubtaskKnowsEveryPartitionsWatermark() throws Exception {
    OperatorSubtaskState first;
    OperatorSubtaskState second;
    try (var subtask0 = router(2, 0);
        var subtask1 = router(2, 1)) {
      subtask0.open();
      subtask1.open();
      subtask0.processElement(new In(0, 0, "p0-a", 20_000).record());
      subtask1.processElement(new In(1, 0, "p1-a", 10_000).record());
      first = subtask0.snapshot(1L, 1L);
      second = subtask1.snapshot(1L, 1L);
    }
    OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(first, second);

    try (var alone = router(1, 0)) {
      alone.initializeState(both);
      alone.open();
      alone.processElement(new In(0, 1, "p0-late", 12_000).record());
      alone.processElement(new In(1, 1, "p1-late", 2_999).record());
      assertThat(lateValues(alone)).containsExactly("p0-late", "p1-late");
      // Checkpointed again, then restored once more: nothing regresses.
      alone.processElement(new In(1, 2, "p1-b", 20_000).record());
      OperatorSubtaskState again = alone.snapshot(2L, 2L);
      try (var restoredAgain = router(1, 0)) {
        restoredAgain.initializeState(again);
        restoredAgain.open();
        restoredAgain.processElement(new In(1, 3, "p1-late-again", 12_999).record());
        assertThat(lateValues(restoredAgain)).containsExactly("p1-late-again");
      }
    }
  }

  @Test
  void theCheckpointedWatermarksHaveAFlinkSerializerNotKryo() {
    assertThat(TypeInformation.of(RouteParsedRecords.PartitionWatermark.class))
        .isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void unparsableRecordsBecomeDeadLettersAndMoveNoWatermark() throws Exception {
    harness.processElement(
        new StreamRecord<>(
            Parsed.failed(raw(0, 3, "{oops"), "not valid JSON"), Watermarks.NO_EVENT_TIME));
    harness.processElement(new In(0, 4, "a", 1_000).record());
    assertThat(harness.extractOutputValues()).containsExactly("a");
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
