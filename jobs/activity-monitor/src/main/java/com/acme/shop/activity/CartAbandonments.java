package com.acme.shop.activity;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * {@code activity.cart-abandonment}: an {@code add_to_cart} at time {@code t} is abandoned when the
 * same user has no {@code checkout} or {@code purchase} with an event time in {@code [t, t + 30
 * min]}.
 *
 * <p>Both ends are inclusive. A checkout at exactly {@code t + 30 min} is still "within 30
 * minutes". One in the same millisecond as the add counts as following it: equal event times have
 * no order, so the result must not depend on which of the two the job happens to read first (and a
 * one-click purchase that logs both at once is no abandonment).
 *
 * <p>A keyed timer rather than a CEP pattern: the rule is one event and the absence of another, and
 * the state it needs is small and visible. Per user it holds the pending adds and the recent
 * checkout times. Events arrive in any order within the watermark bound, so:
 *
 * <ul>
 *   <li>a checkout rescues every pending add up to 30 minutes before it, and is remembered for adds
 *       that arrive after it with an earlier event time;
 *   <li>an add that a remembered checkout covers is rescued at once; any other add waits for the
 *       watermark to pass {@code t + 30 min + allowed lateness}. By then every checkout that could
 *       rescue it has arrived (a later one would be late and is routed away before this operator),
 *       so the timer emits it as abandoned;
 *   <li>a checkout time {@code c} is dropped once the watermark passes {@code c + allowed
 *       lateness}: any add still to come is later than {@code c}, and no pending add needs {@code
 *       c} any more because pending adds it covers were rescued on its arrival.
 * </ul>
 *
 * <p>The router keeps late clicks away, except behind an idle source subtask, whose clicks can be
 * behind this operator's watermark when it wakes up. Like a window, the operator then sends a click
 * at or behind its watermark by more than the allowed lateness to {@code lateClicks} instead of
 * processing it: an add could no longer wait for its checkouts, and a checkout could come after the
 * timeout of the add it follows.
 *
 * <p>A bounded run's final watermark fires every timer, so every add is decided and the state is
 * empty at the end.
 */
final class CartAbandonments {
  private CartAbandonments() {}

  static final Duration TIMEOUT = Duration.ofMinutes(30);

  static SingleOutputStreamOperator<CartAbandonment> detect(
      DataStream<ClickEvent> clicks, Duration allowedLateness, LateEvents<ClickEvent> lateClicks) {
    return clicks
        // Only these three types matter; the others need not be shuffled.
        .filter(CartAbandonments::matters)
        .name("cart events only")
        .keyBy(ClickEvent::userId)
        .process(new DetectAbandonedCarts(TIMEOUT, allowedLateness, lateClicks.tag()))
        .uid("cart-abandonment")
        .name("abandoned carts, 30 min");
  }

  static boolean matters(ClickEvent click) {
    return click.type() == ClickType.ADD_TO_CART || completesCart(click);
  }

  static boolean completesCart(ClickEvent click) {
    return click.type() == ClickType.CHECKOUT || click.type() == ClickType.PURCHASE;
  }

  static final class DetectAbandonedCarts
      extends KeyedProcessFunction<String, ClickEvent, CartAbandonment> {
    private final long timeoutMs;
    private final long allowedLatenessMs;
    private final OutputTag<ClickEvent> lateClicks;

    /** Adds not yet rescued, by event id (a redelivered add is the same add). */
    private transient MapState<String, CartAbandonment> pending;

    /** Event times of checkouts and purchases that a late-arriving add may still need. */
    private transient MapState<Long, Boolean> completions;

    DetectAbandonedCarts(
        Duration timeout, Duration allowedLateness, OutputTag<ClickEvent> lateClicks) {
      this.timeoutMs = timeout.toMillis();
      this.allowedLatenessMs = allowedLateness.toMillis();
      this.lateClicks = lateClicks;
    }

    @Override
    public void open(OpenContext openContext) {
      pending =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "pending-carts", Types.STRING, TypeInformation.of(CartAbandonment.class)));
      completions =
          getRuntimeContext()
              .getMapState(new MapStateDescriptor<>("completions", Types.LONG, Types.BOOLEAN));
    }

    @Override
    public void processElement(ClickEvent click, Context ctx, Collector<CartAbandonment> out)
        throws Exception {
      long time = click.eventTime().toEpochMilli();
      if (LateEvents.isLate(time, allowedLatenessMs, ctx.timerService().currentWatermark())) {
        ctx.output(lateClicks, click);
        return;
      }
      if (completesCart(click)) {
        rescueAddsBefore(time);
        if (!completions.contains(time)) {
          completions.put(time, true);
          ctx.timerService().registerEventTimeTimer(time + allowedLatenessMs);
        }
      } else if (click.type() == ClickType.ADD_TO_CART && !isCompleted(time)) {
        pending.put(
            click.eventId(),
            new CartAbandonment(
                click.userId(), click.productId(), click.eventId(), click.eventTime()));
        ctx.timerService().registerEventTimeTimer(time + timeoutMs + allowedLatenessMs);
      }
    }

    /** Removes the pending adds that a completion at {@code time} follows within the timeout. */
    private void rescueAddsBefore(long time) throws Exception {
      Iterator<Map.Entry<String, CartAbandonment>> it = pending.iterator();
      while (it.hasNext()) {
        long added = it.next().getValue().addedAt().toEpochMilli();
        if (added <= time && time <= added + timeoutMs) {
          it.remove();
        }
      }
      dropIfEmpty(pending);
    }

    /** Whether a remembered completion follows an add at {@code added} within the timeout. */
    private boolean isCompleted(long added) throws Exception {
      for (Long time : completions.keys()) {
        if (added <= time && time <= added + timeoutMs) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CartAbandonment> out)
        throws Exception {
      List<CartAbandonment> abandoned = new ArrayList<>();
      Iterator<Map.Entry<String, CartAbandonment>> carts = pending.iterator();
      while (carts.hasNext()) {
        CartAbandonment cart = carts.next().getValue();
        if (cart.addedAt().toEpochMilli() + timeoutMs + allowedLatenessMs <= timestamp) {
          abandoned.add(cart);
          carts.remove();
        }
      }
      // Deterministic output order, whatever the state backend's iteration order.
      abandoned.sort(
          Comparator.comparing(CartAbandonment::addedAt).thenComparing(CartAbandonment::eventId));
      abandoned.forEach(out::collect);

      Iterator<Long> times = completions.keys().iterator();
      while (times.hasNext()) {
        if (times.next() + allowedLatenessMs <= timestamp) {
          times.remove();
        }
      }
      dropIfEmpty(pending);
      dropIfEmpty(completions);
    }

    /**
     * Removing a map's last entry through an iterator leaves an empty map per user on the heap
     * backend; over millions of users that is a leak, so drop it.
     */
    private static void dropIfEmpty(MapState<?, ?> state) throws Exception {
      if (state.isEmpty()) {
        state.clear();
      }
    }
  }
}
