package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.CLICKS;
import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.activity.Harnesses.endOfInput;
import static com.acme.shop.activity.Harnesses.feed;
import static com.acme.shop.activity.Harnesses.lateClickIds;
import static com.acme.shop.activity.Harnesses.watermark;
import static com.acme.shop.model.ClickType.PAGE_VIEW;
import static com.acme.shop.testing.Harnesses.lastOperatorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.BotAlert;
import com.acme.shop.model.ClickEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Tumbling windows of {@code activity.alerts}, on the job's own window operator (the page-view
 * filter in front of it is covered by the MiniCluster tests).
 */
class BotAlertsTest {
  static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, BotAlert> harness(
      Duration allowedLateness) throws Exception {
    return lastOperatorOf(
        CLICKS, clicks -> BotAlerts.detect(clicks, allowedLateness, Harnesses.LATE_CLICKS));
  }

  /** {@code count} page views of {@code user}, 100 ms apart from {@code from}. */
  static void views(
      KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, BotAlert> h,
      String user,
      String from,
      int count)
      throws Exception {
    Instant start = at(from);
    for (int i = 0; i < count; i++) {
      Instant t = start.plusMillis(100L * i);
      h.processElement(
          new ClickEvent(user + "-" + i, user, "s", PAGE_VIEW, "/p/1", null, t), t.toEpochMilli());
    }
  }

  static BotAlert alert(String user, String minute, long views) {
    return new BotAlert(user, at(minute), at(minute).plus(Duration.ofMinutes(1)), views);
  }

  @Test
  void moreThanOneHundredPageViewsInOneMinuteAlertAndOneHundredDoNot() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      views(h, "human", "09:00:00", 100);
      views(h, "bot", "09:00:00", 101);
      // 101 views, but 60 in one minute and 41 in the next: tumbling windows see no bot.
      views(h, "split", "09:00:54", 101);
      watermark(h, "09:00:59.998");
      assertThat(h.extractOutputValues()).isEmpty();

      watermark(h, "09:00:59.999");
      assertThat(h.extractOutputValues()).containsExactly(alert("bot", "09:00:00", 101));
      endOfInput(h);
      assertThat(h.extractOutputValues()).containsExactly(alert("bot", "09:00:00", 101));
    }
  }

  @Test
  void outOfOrderViewsWithinTheWatermarkCount() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      views(h, "bot", "09:00:30", 100);
      feed(h, click("x", "bot", PAGE_VIEW, "09:01:02"));
      watermark(h, "09:00:57");
      feed(h, click("y", "bot", PAGE_VIEW, "09:00:58"));
      endOfInput(h);

      assertThat(h.extractOutputValues()).containsExactly(alert("bot", "09:00:00", 101));
    }
  }

  @Test
  void withAllowedLatenessAMinuteAlertsOnceAndOnlyWhenItCrossesTheThreshold() throws Exception {
    try (var h = harness(Duration.ofMinutes(1))) {
      views(h, "bot", "09:00:00", 101);
      views(h, "late-bot", "09:00:00", 100);
      watermark(h, "09:00:59.999");
      assertThat(h.extractOutputValues()).containsExactly(alert("bot", "09:00:00", 101));

      // Late within the allowed minute: the window fires again.
      feed(h, click("b", "bot", PAGE_VIEW, "09:00:40"));
      feed(h, click("l", "late-bot", PAGE_VIEW, "09:00:40"));
      feed(h, click("m", "late-bot", PAGE_VIEW, "09:00:41"));
      endOfInput(h);
      assertThat(h.extractOutputValues())
          .containsExactly(alert("bot", "09:00:00", 101), alert("late-bot", "09:00:00", 101));
    }
  }

  @Test
  void aPageViewTooLateForItsMinuteGoesToTheLateSideOutput() throws Exception {
    try (var h = harness(Duration.ZERO)) {
      views(h, "bot", "09:00:00", 100);
      watermark(h, "09:00:59.999");
      // The 101st view of the minute, after it closed: no alert, and not dropped either.
      h.processElement(
          new ClickEvent("late", "bot", "s", PAGE_VIEW, "/p/1", null, at("09:00:59.990")),
          at("09:00:59.990").toEpochMilli());
      endOfInput(h);

      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(lateClickIds(h)).containsExactly("late");
    }
  }
}
