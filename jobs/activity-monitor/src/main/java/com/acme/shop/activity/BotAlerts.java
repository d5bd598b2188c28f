package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.BotAlert;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * {@code activity.alerts}: users with more than {@value #MAX_HUMAN_VIEWS} page views in one
 * tumbling minute, which no human clicks.
 *
 * <p>Counted per user on their own rather than from the page views' per (page, user) counts: a bot
 * spreads its views over many pages, and summing those per user would need one more shuffle and
 * window anyway.
 */
final class BotAlerts {
  private BotAlerts() {}

  static final Duration WINDOW = Duration.ofMinutes(1);

  /** Exactly this many page views in a minute is still human; one more is not. */
  static final long MAX_HUMAN_VIEWS = 100;

  /** A page view too late for its minute goes to {@code lateClicks}. */
  static SingleOutputStreamOperator<BotAlert> detect(
      DataStream<ClickEvent> clicks, Duration allowedLateness, LateEvents<ClickEvent> lateClicks) {
    return lateClicks
        .caughtIn(
            clicks
                .filter(click -> click.type() == ClickType.PAGE_VIEW)
                .name("page views only, for bot alerts")
                .keyBy(ClickEvent::userId)
                .window(TumblingEventTimeWindows.of(WINDOW)))
        .allowedLateness(allowedLateness)
        .aggregate(new CountClicks(), new AlertAboveThreshold())
        .uid("bot-alerts")
        .name("bot alerts, page views per user, 1 min");
  }

  /**
   * Alerts once per user and minute. With allowed lateness the window fires again for each late
   * view; a minute that already alerted stays quiet, so an alert is never sent twice.
   */
  static final class AlertAboveThreshold
      extends ProcessWindowFunction<Long, BotAlert, String, TimeWindow> {
    private static final ValueStateDescriptor<Boolean> ALERTED =
        new ValueStateDescriptor<>("alerted", Boolean.class);

    @Override
    public void process(
        String userId, Context context, Iterable<Long> counts, Collector<BotAlert> out)
        throws Exception {
      long views = counts.iterator().next();
      if (views <= MAX_HUMAN_VIEWS) {
        return;
      }
      ValueState<Boolean> alerted = context.windowState().getState(ALERTED);
      if (alerted.value() != null) {
        return;
      }
      alerted.update(true);
      TimeWindow w = context.window();
      out.collect(
          new BotAlert(
              userId, Instant.ofEpochMilli(w.getStart()), Instant.ofEpochMilli(w.getEnd()), views));
    }

    @Override
    public void clear(Context context) {
      context.windowState().getState(ALERTED).clear();
    }
  }
}
