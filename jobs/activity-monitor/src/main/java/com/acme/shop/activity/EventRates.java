package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.EventRate;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * {@code activity.event-rates}: events per type in sliding five-minute windows every minute.
 *
 * <p>Every on-time click counts in the five windows that contain it. Each window keeps one running
 * count (an incremental aggregate), never its events, so state is five longs per type whatever the
 * traffic. With allowed lateness a window fires again for each late event, with its full new count;
 * the later record for the same type and window supersedes the earlier one.
 *
 * <p>A click that comes after all five of its windows closed goes to {@code lateClicks}. One that
 * comes after only the oldest of them closed still counts in the others, as Flink's sliding windows
 * do, and is not reported as late: the router, judging by the click's own partition, lets such a
 * click through only behind an idle source subtask.
 */
final class EventRates {
  private EventRates() {}

  static final Duration SIZE = Duration.ofMinutes(5);
  static final Duration SLIDE = Duration.ofMinutes(1);

  static SingleOutputStreamOperator<EventRate> count(
      DataStream<ClickEvent> clicks, Duration allowedLateness, LateEvents<ClickEvent> lateClicks) {
    return lateClicks
        .caughtIn(
            clicks
                // The contract's wire name, e.g. page_view, is both the Kafka key and the type.
                .keyBy(click -> click.type().wire())
                .window(SlidingEventTimeWindows.of(SIZE, SLIDE)))
        .allowedLateness(allowedLateness)
        .aggregate(new CountClicks(), new AddRateBounds())
        .uid("event-rates")
        .name("events per type, 5 min every 1 min");
  }

  static final class AddRateBounds
      extends ProcessWindowFunction<Long, EventRate, String, TimeWindow> {
    @Override
    public void process(
        String type, Context context, Iterable<Long> counts, Collector<EventRate> out) {
      TimeWindow w = context.window();
      out.collect(
          new EventRate(
              type,
              Instant.ofEpochMilli(w.getStart()),
              Instant.ofEpochMilli(w.getEnd()),
              counts.iterator().next()));
    }
  }
}
