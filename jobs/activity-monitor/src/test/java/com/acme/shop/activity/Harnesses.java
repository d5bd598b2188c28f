package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.topics.Topics;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Clicks, times and watermarks for harness tests of the job's own keyed operators. */
final class Harnesses {
  private Harnesses() {}

  /** The job's input type, for {@code com.acme.shop.testing.Harnesses.lastOperatorOf}. */
  static final TypeInformation<ClickEvent> CLICKS = TypeInformation.of(ClickEvent.class);

  /** Where the job's windows and timers send the clicks they find late. */
  static final LateEvents<ClickEvent> LATE_CLICKS =
      ActivityMonitorJob.lateClicks(Topics.CLICKSTREAM.defaultName());

  /** The ids of the clicks {@code h} sent to {@link #LATE_CLICKS}, in order. */
  static java.util.List<String> lateClickIds(
      KeyedOneInputStreamOperatorTestHarness<?, ClickEvent, ?> h) {
    var late = h.getSideOutput(LATE_CLICKS.tag());
    return late == null ? List.of() : late.stream().map(r -> r.getValue().eventId()).toList();
  }

  static final String DAY = "2026-11-23T";

  static Instant at(String time) {
    return Instant.parse(DAY + time + "Z");
  }

  static ClickEvent click(String id, String user, ClickType type, String time) {
    String productId = type == ClickType.ADD_TO_CART ? "p-" + id : null;
    return new ClickEvent(id, user, "s-" + user, type, "/page", productId, at(time));
  }

  /**
   * Feeds {@code click} with its event time as the record's timestamp, as the job's source does.
   */
  static void feed(KeyedOneInputStreamOperatorTestHarness<?, ClickEvent, ?> h, ClickEvent click)
      throws Exception {
    h.processElement(click, click.eventTime().toEpochMilli());
  }

  static void watermark(KeyedOneInputStreamOperatorTestHarness<?, ClickEvent, ?> h, String time)
      throws Exception {
    h.processWatermark(new Watermark(at(time).toEpochMilli()));
  }

  /** The end of a bounded run: the final watermark fires every window and timer. */
  static void endOfInput(KeyedOneInputStreamOperatorTestHarness<?, ClickEvent, ?> h)
      throws Exception {
    h.processWatermark(Watermark.MAX_WATERMARK);
  }
}
