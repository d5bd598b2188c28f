package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.CLICKS;
import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.activity.Harnesses.endOfInput;
import static com.acme.shop.activity.Harnesses.feed;
import static com.acme.shop.activity.Harnesses.lateClickIds;
import static com.acme.shop.activity.Harnesses.watermark;
import static com.acme.shop.model.ClickType.ADD_TO_CART;
import static com.acme.shop.model.ClickType.PAGE_VIEW;
import static com.acme.shop.testing.Harnesses.lastOperatorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.EventRate;
import java.time.Duration;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Sliding windows of {@code activity.event-rates}, on the job's own window operator. */
class EventRatesTest {
  static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, EventRate> harness(
      Duration allowedLateness) throws Exception {
    return lastOperatorOf(
        CLICKS, clicks -> EventRates.count(clicks, allowedLateness, Harnesses.LATE_CLICKS));
  }

  static EventRate rate(String type, String start, long count) {
    return new EventRate(type, at(start), at(start).plus(Duration.ofMinutes(5)), count);
  }

  @Test
  void anEventCountsInEachOfTheFiveWindowsThatContainIt() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:02:30"));
      endOfInput(h);

      assertThat(h.extractOutputValues())
          .containsExactlyInAnyOrder(
              rate("page_view", "08:58:00", 1),
              rate("page_view", "08:59:00", 1),
              rate("page_view", "09:00:00", 1),
              rate("page_view", "09:01:00", 1),
              rate("page_view", "09:02:00", 1));
    }
  }

  @Test
  void countsPerTypeIncludingEventsOutOfOrderWithinTheWatermark() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:10"));
      feed(h, click("e2", "u2", ADD_TO_CART, "09:00:20"));
      feed(h, click("e3", "u1", PAGE_VIEW, "09:00:50"));
      watermark(h, "09:00:45");
      // Ten seconds behind the newest event, still ahead of the watermark.
      feed(h, click("e4", "u3", PAGE_VIEW, "09:00:40"));
      feed(h, click("e5", "u3", PAGE_VIEW, "09:04:00"));

      watermark(h, "09:00:59.998");
      assertThat(h.extractOutputValues()).isEmpty();
      // The first window holding 09:00 closes.
      watermark(h, "09:00:59.999");
      assertThat(h.extractOutputValues())
          .containsExactlyInAnyOrder(
              rate("page_view", "08:56:00", 3), rate("add_to_cart", "08:56:00", 1));

      endOfInput(h);
      assertThat(h.extractOutputValues())
          .containsExactlyInAnyOrder(
              rate("page_view", "08:56:00", 3),
              rate("add_to_cart", "08:56:00", 1),
              rate("page_view", "08:57:00", 3),
              rate("add_to_cart", "08:57:00", 1),
              rate("page_view", "08:58:00", 3),
              rate("add_to_cart", "08:58:00", 1),
              rate("page_view", "08:59:00", 3),
              rate("add_to_cart", "08:59:00", 1),
              rate("page_view", "09:00:00", 4),
              rate("add_to_cart", "09:00:00", 1),
              rate("page_view", "09:01:00", 1),
              rate("page_view", "09:02:00", 1),
              rate("page_view", "09:03:00", 1),
              rate("page_view", "09:04:00", 1));
    }
  }

  @Test
  void withAllowedLatenessALateEventFiresItsClosedWindowAgainWithTheFullCount() throws Exception {
    try (var h = harness(Duration.ofMinutes(1))) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:10"));
      feed(h, click("e2", "u1", PAGE_VIEW, "09:00:20"));
      watermark(h, "09:00:59.999");
      assertThat(h.extractOutputValues()).containsExactly(rate("page_view", "08:56:00", 2));

      // Behind the watermark, within the allowed minute.
      feed(h, click("e3", "u2", PAGE_VIEW, "09:00:30"));
      assertThat(h.extractOutputValues())
          .containsExactly(rate("page_view", "08:56:00", 2), rate("page_view", "08:56:00", 3));

      watermark(h, "09:01:59.999");
      assertThat(h.extractOutputValues())
          .containsExactly(
              rate("page_view", "08:56:00", 2),
              rate("page_view", "08:56:00", 3),
              rate("page_view", "08:57:00", 3));
    }
  }

  @Test
  void aClickAfterAllItsWindowsClosedGoesToTheLateSideOutputAndCountsNowhere() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:02:30"));
      // The last window holding 09:02:40, [09:02, 09:07), has closed.
      watermark(h, "09:06:59.999");
      feed(h, click("late", "u2", PAGE_VIEW, "09:02:40"));
      endOfInput(h);

      assertThat(h.extractOutputValues()).hasSize(5).allMatch(rate -> rate.count() == 1);
      assertThat(lateClickIds(h)).containsExactly("late");
    }
  }

  @Test
  void aClickWithSomeOfItsWindowsStillOpenCountsInThoseAndIsNotReportedLate() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:02:30"));
      // [08:58, 09:03) has closed; the four later windows holding 09:02:40 have not.
      watermark(h, "09:03:00");
      feed(h, click("e2", "u2", PAGE_VIEW, "09:02:40"));
      endOfInput(h);

      assertThat(h.extractOutputValues())
          .containsExactly(
              rate("page_view", "08:58:00", 1),
              rate("page_view", "08:59:00", 2),
              rate("page_view", "09:00:00", 2),
              rate("page_view", "09:01:00", 2),
              rate("page_view", "09:02:00", 2));
      assertThat(lateClickIds(h)).isEmpty();
    }
  }
}
