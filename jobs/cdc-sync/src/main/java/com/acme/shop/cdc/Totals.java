package com.acme.shop.cdc;

import com.acme.shop.flink.Upsert;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The totals of one group (a category, a customer) over the orders that contribute to it: orders,
 * units, amount and the latest order's time. A retraction subtracts exactly what was added, so the
 * totals are a sum over the orders' current contributions whatever order the deltas of different
 * orders come in. A group that drops to zero orders is a tombstone, and its state is cleared.
 *
 * <p>The latest time is the maximum over the contributing orders' times, kept as a count per time
 * so a retraction of the latest order finds the one before it.
 */
public record Totals(String group, long orders, long units, BigDecimal amount, Instant last) {

  static final TypeInformation<Upsert<Totals>> UPSERT =
      TypeInformation.of(new TypeHint<Upsert<Totals>>() {});

  /**
   * The deltas of a change of an order's contribution: one when it stays in its group, else a
   * retraction from the old group and an addition to the new.
   */
  static FlatMapFunction<Joined<Contribution>, Delta> deltas() {
    return (joined, out) -> {
      Contribution before = joined.before();
      Contribution after = joined.after();
      if (Objects.equals(before, after)) {
        return; // e.g. NEW to PAID: the order counts as before
      }
      if (before != null && after != null && !before.group().equals(after.group())) {
        out.collect(new Delta(before, null));
        out.collect(new Delta(null, after));
      } else {
        out.collect(new Delta(before, after));
      }
    };
  }

  static SingleOutputStreamOperator<Upsert<Totals>> apply(
      DataStream<Joined<Contribution>> contributions, String uid, String name) {
    return contributions
        .flatMap(deltas(), Tables.DELTA)
        .name(uid + ": retract the old contribution, add the new")
        .keyBy(Delta::group, Types.STRING)
        .process(new Sum(), UPSERT)
        .uid(uid)
        .name(name);
  }

  /**
   * Sums one group. The group's latest time is kept in its totals; the count per time is read only
   * when the latest order leaves, so a delta costs a few state accesses, not one per order of the
   * group.
   */
  static final class Sum extends KeyedProcessFunction<String, Delta, Upsert<Totals>> {
    private transient ValueState<Totals> totals;
    private transient MapState<Long, Integer> times;

    @Override
    public void open(OpenContext openContext) {
      totals =
          getRuntimeContext()
              .getState(new ValueStateDescriptor<>("totals", TypeInformation.of(Totals.class)));
      times =
          getRuntimeContext()
              .getMapState(new MapStateDescriptor<>("order-times", Types.LONG, Types.INT));
    }

    @Override
    public void processElement(Delta delta, Context ctx, Collector<Upsert<Totals>> out)
        throws Exception {
      String group = ctx.getCurrentKey();
      Totals old = totals.value();
      long orders = old == null ? 0 : old.orders();
      long units = old == null ? 0 : old.units();
      BigDecimal amount = old == null ? BigDecimal.ZERO.setScale(2) : old.amount();
      Instant last = old == null ? null : old.last();
      boolean lastLeft = false;
      Contribution removed = delta.removed();
      if (removed != null) {
        orders--;
        units -= removed.units();
        amount = amount.subtract(removed.amount());
        lastLeft =
            removed.time() != null && count(removed.time(), -1) == 0 && removed.time().equals(last);
      }
      Contribution added = delta.added();
      if (added != null) {
        orders++;
        units += added.units();
        amount = amount.add(added.amount());
        if (added.time() != null) {
          count(added.time(), 1);
        }
      }
      if (orders <= 0) {
        totals.clear();
        times.clear();
        out.collect(new Upsert<>(group, null));
        return;
      }
      Instant addedTime = added == null ? null : added.time();
      if (addedTime != null && (last == null || !addedTime.isBefore(last))) {
        last = addedTime;
      } else if (lastLeft) {
        last = latestCounted(); // the latest order left and no later one came
      }
      Totals now = new Totals(group, orders, units, amount, last);
      totals.update(now);
      out.collect(new Upsert<>(group, now));
    }

    /** Adds {@code sign} to the number of orders at {@code time}; returns the new number. */
    private int count(Instant time, int sign) throws Exception {
      long t = time.toEpochMilli();
      Integer before = times.get(t);
      int count = (before == null ? 0 : before) + sign;
      if (count <= 0) {
        times.remove(t);
      } else {
        times.put(t, count);
      }
      return count;
    }

    /** The latest time any contributing order has: one pass over the group's times. */
    private Instant latestCounted() throws Exception {
      Long latest = null;
      for (Long t : times.keys()) {
        if (latest == null || t > latest) {
          latest = t;
        }
      }
      return latest == null ? null : Instant.ofEpochMilli(latest);
    }
  }
}
