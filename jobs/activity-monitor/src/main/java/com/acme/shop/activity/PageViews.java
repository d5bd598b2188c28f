package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.model.PageViewCount;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * {@code activity.page-views}: views and distinct users per page in tumbling one-minute windows.
 *
 * <p>Distinct users are counted exactly in two keyed steps instead of with a set of user ids per
 * page: first views per (page, user) and window, then per page the sum of views and the number of
 * (page, user) results. State holds one counter per (page, user, window) and one per (page,
 * window); each event touches one small counter, whatever the state backend, and a popular page's
 * first step spreads over all subtasks. The cost is one more shuffle.
 *
 * <p>With allowed lateness, a window fires again for each late event. The first step then emits
 * only what changed since its last firing, so the second step never counts a view or a user twice.
 *
 * <p>A page view too late for its minute goes to {@code lateClicks}. The second step's input is the
 * first step's output, stamped with the end of its window while that window is still open, so it is
 * late only in a corner (a first-step subtask whose inputs were all idle fires for a late view,
 * within the allowed lateness, while other subtasks moved the second step on); such a change goes
 * to the late topic too, as its JSON keyed by page, rather than being dropped.
 */
final class PageViews {
  private PageViews() {}

  static final Duration WINDOW = Duration.ofMinutes(1);

  /** Changes of the first step the second found late: the first step's own name as topic. */
  static final LateEvents<UserPageViews> LATE_CHANGES =
      LateEvents.of(
          "late-page-view-changes",
          TypeInformation.of(UserPageViews.class),
          "page-views-per-user",
          UserPageViews::page);

  /** The page views per page, and every record either step found late. */
  record Counted(DataStream<PageViewCount> counts, DataStream<RawRecord> late) {}

  static Counted count(
      DataStream<ClickEvent> clicks, Duration allowedLateness, LateEvents<ClickEvent> lateClicks) {
    SingleOutputStreamOperator<UserPageViews> perUser =
        perUser(clicks, allowedLateness, lateClicks);
    SingleOutputStreamOperator<PageViewCount> perPage = perPage(perUser, allowedLateness);
    return new Counted(perPage, lateClicks.from(perUser).union(LATE_CHANGES.from(perPage)));
  }

  static SingleOutputStreamOperator<UserPageViews> perUser(
      DataStream<ClickEvent> clicks, Duration allowedLateness, LateEvents<ClickEvent> lateClicks) {
    return lateClicks
        .caughtIn(
            clicks
                .filter(click -> click.type() == ClickType.PAGE_VIEW)
                .name("page views only")
                .keyBy(click -> click.page() + '\u0000' + click.userId())
                .window(TumblingEventTimeWindows.of(WINDOW)))
        .allowedLateness(allowedLateness)
        .aggregate(new CountClicks(), new EmitUserViewChanges())
        .uid("page-views-per-user")
        .name("page views per page and user, 1 min");
  }

  static SingleOutputStreamOperator<PageViewCount> perPage(
      DataStream<UserPageViews> changes, Duration allowedLateness) {
    return LATE_CHANGES
        .caughtIn(changes.keyBy(UserPageViews::page).window(TumblingEventTimeWindows.of(WINDOW)))
        .allowedLateness(allowedLateness)
        .aggregate(new SumPageViews(), new AddWindowBounds())
        .uid("page-views-per-page")
        .name("page views and unique users per page, 1 min");
  }

  /** What one (page, user) window adds to its page's window since it last fired. */
  public record UserPageViews(String page, long views, long newUsers) {}

  /** Views and users of a page's window, as accumulated from {@link UserPageViews}. */
  public record PageTotals(long views, long users) {}

  static final class EmitUserViewChanges
      extends ProcessWindowFunction<Long, UserPageViews, String, TimeWindow> {
    private static final ValueStateDescriptor<Long> EMITTED =
        new ValueStateDescriptor<>("views-emitted", Long.class);

    @Override
    public void process(
        String pageAndUser, Context context, Iterable<Long> counts, Collector<UserPageViews> out)
        throws Exception {
      long views = counts.iterator().next();
      ValueState<Long> emitted = context.windowState().getState(EMITTED);
      Long before = emitted.value();
      if (before != null && before == views) {
        return;
      }
      String page = pageAndUser.substring(0, pageAndUser.indexOf('\u0000'));
      out.collect(
          new UserPageViews(page, views - (before == null ? 0 : before), before == null ? 1 : 0));
      emitted.update(views);
    }

    @Override
    public void clear(Context context) {
      context.windowState().getState(EMITTED).clear();
    }
  }

  static final class SumPageViews
      implements AggregateFunction<UserPageViews, PageTotals, PageTotals> {
    @Override
    public PageTotals createAccumulator() {
      return new PageTotals(0, 0);
    }

    @Override
    public PageTotals add(UserPageViews change, PageTotals totals) {
      return new PageTotals(totals.views() + change.views(), totals.users() + change.newUsers());
    }

    @Override
    public PageTotals getResult(PageTotals totals) {
      return totals;
    }

    @Override
    public PageTotals merge(PageTotals a, PageTotals b) {
      return new PageTotals(a.views() + b.views(), a.users() + b.users());
    }
  }

  static final class AddWindowBounds
      extends ProcessWindowFunction<PageTotals, PageViewCount, String, TimeWindow> {
    @Override
    public void process(
        String page, Context context, Iterable<PageTotals> totals, Collector<PageViewCount> out) {
      PageTotals t = totals.iterator().next();
      TimeWindow w = context.window();
      out.collect(
          new PageViewCount(
              page,
              Instant.ofEpochMilli(w.getStart()),
              Instant.ofEpochMilli(w.getEnd()),
              t.views(),
              t.users()));
    }
  }
}
