package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.CLICKS;
import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.activity.Harnesses.endOfInput;
import static com.acme.shop.activity.Harnesses.feed;
import static com.acme.shop.activity.Harnesses.lateClickIds;
import static com.acme.shop.activity.Harnesses.watermark;
import static com.acme.shop.model.ClickType.ADD_TO_CART;
import static com.acme.shop.model.ClickType.CHECKOUT;
import static com.acme.shop.model.ClickType.PAGE_VIEW;
import static com.acme.shop.model.ClickType.PURCHASE;
import static com.acme.shop.model.ClickType.SEARCH;
import static com.acme.shop.testing.Harnesses.lastOperatorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.SessionSummary;
import java.time.Duration;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Session windows of {@code activity.sessions}, on the job's own window operator. */
class SessionsTest {
  static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, SessionSummary> harness(
      Duration allowedLateness) throws Exception {
    return lastOperatorOf(
        CLICKS, clicks -> Sessions.summarise(clicks, allowedLateness, Harnesses.LATE_CLICKS));
  }

  static SessionSummary session(
      String user,
      String first,
      String last,
      long events,
      long pageViews,
      long addToCarts,
      boolean purchased) {
    return new SessionSummary(
        user,
        at(first),
        at(last).plus(Duration.ofMinutes(30)),
        events,
        pageViews,
        addToCarts,
        purchased);
  }

  @Test
  void eventsAtMostThirtyMinutesApartMergeAndALongerGapStartsANewSession() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:00"));
      feed(h, click("e2", "u1", ADD_TO_CART, "09:10:00"));
      // Exactly 30 minutes after the last event: Flink's windows touch, and merge.
      feed(h, click("e3", "u1", SEARCH, "09:40:00"));
      // 30 minutes and 1 ms after the last event: a new session.
      feed(h, click("e4", "u1", PAGE_VIEW, "10:10:00.001"));
      feed(h, click("f1", "u2", PAGE_VIEW, "09:05:00"));
      feed(h, click("f2", "u2", CHECKOUT, "09:06:00"));
      feed(h, click("f3", "u2", PURCHASE, "09:07:00"));

      watermark(h, "10:09:59.998");
      assertThat(h.extractOutputValues())
          .containsExactly(session("u2", "09:05:00", "09:07:00", 3, 1, 0, true));
      // A session ends at its last event plus the gap, and fires when the watermark passes it.
      watermark(h, "10:09:59.999");
      assertThat(h.extractOutputValues())
          .containsExactly(
              session("u2", "09:05:00", "09:07:00", 3, 1, 0, true),
              session("u1", "09:00:00", "09:40:00", 3, 1, 1, false));

      endOfInput(h);
      assertThat(h.extractOutputValues())
          .containsExactly(
              session("u2", "09:05:00", "09:07:00", 3, 1, 0, true),
              session("u1", "09:00:00", "09:40:00", 3, 1, 1, false),
              session("u1", "10:10:00.001", "10:10:00.001", 1, 1, 0, false));
    }
  }

  @Test
  void anOutOfOrderEventBetweenTwoOpenSessionsMergesThem() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:00"));
      feed(h, click("e2", "u1", PAGE_VIEW, "09:50:00"));
      watermark(h, "09:20:00");
      // Ahead of the watermark, so on time; it closes the 50 minute gap.
      feed(h, click("e3", "u1", PURCHASE, "09:25:00"));
      watermark(h, "10:19:59.998");
      assertThat(h.extractOutputValues()).isEmpty();

      endOfInput(h);
      assertThat(h.extractOutputValues())
          .containsExactly(session("u1", "09:00:00", "09:50:00", 3, 2, 0, true));
    }
  }

  @Test
  void withAllowedLatenessALateEventFiresTheSessionAgainWithItsNewBounds() throws Exception {
    try (var h = harness(Duration.ofMinutes(5))) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:00"));
      watermark(h, "09:29:59.999");
      assertThat(h.extractOutputValues())
          .containsExactly(session("u1", "09:00:00", "09:00:00", 1, 1, 0, false));

      // Behind the watermark by a minute, within the allowed five: the session grows and fires.
      feed(h, click("e2", "u1", ADD_TO_CART, "09:28:59.999"));
      endOfInput(h);
      assertThat(h.extractOutputValues())
          .containsExactly(
              session("u1", "09:00:00", "09:00:00", 1, 1, 0, false),
              session("u1", "09:00:00", "09:28:59.999", 2, 1, 1, false));
    }
  }

  @Test
  void aClickTooLateForItsSessionGoesToTheLateSideOutput() throws Exception {
    try (var h = harness(Duration.ofMinutes(5))) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:00"));
      watermark(h, "10:00:00");
      // Its own window, [09:10, 09:40), ended more than the allowed five minutes ago: late.
      feed(h, click("late", "u1", ADD_TO_CART, "09:10:00"));
      // Flink judges a session click by the end of its window: this one, almost 35 minutes behind
      // the
      // watermark, still opens a session. Only the router's judgement keeps such clicks out.
      feed(h, click("e2", "u2", PAGE_VIEW, "09:25:00.002"));
      endOfInput(h);

      assertThat(h.extractOutputValues())
          .containsExactly(
              session("u1", "09:00:00", "09:00:00", 1, 1, 0, false),
              session("u2", "09:25:00.002", "09:25:00.002", 1, 1, 0, false));
      assertThat(lateClickIds(h)).containsExactly("late");
    }
  }
}
