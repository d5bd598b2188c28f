package com.acme.shop.cdc;

import com.acme.shop.flink.Upsert;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** The deltas of a change of an order's contribution: retract the old, add the new. */
  static FlatMapFunction<Joined<Contribution>, Delta> deltas() {
    return (joined, out) -> {
      if (java.util.Objects.equals(joined.before(), joined.after())) {
        return; // e.g. NEW to PAID: the order counts as before
      }
      if (joined.before() != null) {
        out.collect(new Delta(-1, joined.before()));
      }
      if (joined.after() != null) {
        out.collect(new Delta(1, joined.after()));
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
      Contribution c = delta.contribution();
      int sign = delta.sign();
      long orders = (old == null ? 0 : old.orders()) + sign;
      long units = (old == null ? 0 : old.units()) + sign * c.units();
      BigDecimal amount =
          (old == null ? BigDecimal.ZERO.setScale(2) : old.amount())
              .add(sign > 0 ? c.amount() : c.amount().negate());
      if (c.time() != null) {
        long t = c.time().toEpochMilli();
        int count = (times.contains(t) ? times.get(t) : 0) + sign;
        if (count <= 0) {
          times.remove(t);
        } else {
          times.put(t, count);
        }
      }
      if (orders <= 0) {
        totals.clear();
        times.clear();
        out.collect(new Upsert<>(group, null));
        return;
      }
      Totals now = new Totals(group, orders, units, amount, latest());
      totals.update(now);
      out.collect(new Upsert<>(group, now));
    }

    private Instant latest() throws Exception {
      List<Long> all = new ArrayList<>();
      times.keys().forEach(all::add);
      return all.stream().max(Long::compare).map(Instant::ofEpochMilli).orElse(null);
    }
  }
}
