package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.model.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * {@code activity.sessions}: one summary per user session, a session ending after 30 minutes
 * without an event of that user.
 *
 * <p>Flink gives each event the window {@code [eventTime, eventTime + 30 min)} and merges windows
 * that overlap or touch, so a session is {@code [first event, last event + 30 min)}: an event
 * exactly 30 minutes after the previous one still continues the session, one a millisecond later
 * starts a new one. An out-of-order event that falls between two open sessions of a user merges
 * them. The counts are aggregated incrementally and merged with the windows, so a session holds
 * four numbers, never its events.
 *
 * <p>With allowed lateness a session fires again for each late event, and a late event may merge a
 * session that already fired with its neighbour; the new summary (with its new bounds) supersedes
 * the earlier ones. A click too late for its session goes to {@code lateClicks}.
 */
final class Sessions {
  private Sessions() {}

  static final Duration GAP = Duration.ofMinutes(30);

  static SingleOutputStreamOperator<SessionSummary> summarise(
      DataStream<ClickEvent> clicks, Duration allowedLateness, LateEvents<ClickEvent> lateClicks) {
    return lateClicks
        .caughtIn(clicks.keyBy(ClickEvent::userId).window(EventTimeSessionWindows.withGap(GAP)))
        .allowedLateness(allowedLateness)
        .aggregate(new CountSessionEvents(), new AddSessionBounds())
        .uid("sessions")
        .name("sessions per user, 30 min gap");
  }

  /** What a session has seen so far. */
  public record SessionCounts(long events, long pageViews, long addToCarts, boolean purchased) {}

  static final class CountSessionEvents
      implements AggregateFunction<ClickEvent, SessionCounts, SessionCounts> {
    @Override
    public SessionCounts createAccumulator() {
      return new SessionCounts(0, 0, 0, false);
    }

    @Override
    public SessionCounts add(ClickEvent click, SessionCounts c) {
      ClickType type = click.type();
      return new SessionCounts(
          c.events() + 1,
          c.pageViews() + (type == ClickType.PAGE_VIEW ? 1 : 0),
          c.addToCarts() + (type == ClickType.ADD_TO_CART ? 1 : 0),
          c.purchased() || type == ClickType.PURCHASE);
    }

    @Override
    public SessionCounts getResult(SessionCounts c) {
      return c;
    }

    /** Session windows merge, and their accumulators with them. */
    @Override
    public SessionCounts merge(SessionCounts a, SessionCounts b) {
      return new SessionCounts(
          a.events() + b.events(),
          a.pageViews() + b.pageViews(),
          a.addToCarts() + b.addToCarts(),
          a.purchased() || b.purchased());
    }
  }

  static final class AddSessionBounds
      extends ProcessWindowFunction<SessionCounts, SessionSummary, String, TimeWindow> {
    @Override
    public void process(
        String userId,
        Context context,
        Iterable<SessionCounts> counts,
        Collector<SessionSummary> out) {
      SessionCounts c = counts.iterator().next();
      TimeWindow w = context.window();
      out.collect(
          new SessionSummary(
              userId,
              Instant.ofEpochMilli(w.getStart()),
              Instant.ofEpochMilli(w.getEnd()),
              c.events(),
              c.pageViews(),
              c.addToCarts(),
              c.purchased()));
    }
  }
}
