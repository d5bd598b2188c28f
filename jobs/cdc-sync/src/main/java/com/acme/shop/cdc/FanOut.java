package com.acme.shop.cdc;

import com.acme.shop.model.OrderRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One side of the join, keyed by a customer's or product's id: its current row and the ids of the
 * orders that reference it now. A change of the row is sent to each of those orders; an order that
 * joins gets the current row, one that leaves gets null. Every message from one entity to one order
 * travels one path in order, so the last one an order received is that entity as it is now.
 *
 * <p>A change of columns no read model uses (a price, {@code updated_at}) updates the row but is
 * not sent: a product of many orders would otherwise send each of them a message that changes
 * nothing.
 *
 * <p>State: the row while it exists and the ids of its current orders; both shrink to nothing when
 * the entity is deleted and its orders are gone or moved. No TTL: it mirrors live rows.
 */
final class FanOut<R> extends KeyedProcessFunction<Long, FanOutInput<R>, RowFor<R>> {
  private final Tables.Table<R> table;
  private transient ValueState<R> row;
  private transient MapState<Long, Boolean> orders;

  FanOut(Tables.Table<R> table) {
    this.table = table;
  }

  /**
   * The rows of {@code table} for each order that references them.
   *
   * @param memberships the orders joining and leaving entities of this table
   */
  static <R> SingleOutputStreamOperator<RowFor<R>> apply(
      DataStream<RowChange<R>> rows, DataStream<Membership> memberships, Tables.Table<R> table) {
    DataStream<FanOutInput<R>> changes =
        rows.map(FanOutInput::of, table.fanOutInputType()).name(table.name() + ": as join input");
    DataStream<FanOutInput<R>> joins =
        memberships
            .map(FanOutInput::<R>of, table.fanOutInputType())
            .name(table.name() + ": orders joining and leaving");
    return changes
        .union(joins)
        .keyBy(FanOutInput::entityId, Types.LONG)
        .process(new FanOut<>(table), table.rowForType())
        .uid(table.name() + "-fan-out")
        .name(table.name() + ": current row to each of its orders");
  }

  /** Which entity of a table an order references. */
  @FunctionalInterface
  interface Reference extends java.io.Serializable {
    Long of(OrderRow order);
  }

  /** The joins and leaves of orders to the entity {@code reference} picks, from order changes. */
  static FlatMapFunction<RowChange<OrderRow>, Membership> memberships(Reference reference) {
    return (change, out) -> {
      Long before = change.before() == null ? null : reference.of(change.before());
      Long after = change.after() == null ? null : reference.of(change.after());
      if (Objects.equals(before, after)) {
        return;
      }
      if (before != null) {
        out.collect(new Membership(before, change.id(), false));
      }
      if (after != null) {
        out.collect(new Membership(after, change.id(), true));
      }
    };
  }

  @Override
  public void open(OpenContext openContext) {
    row = getRuntimeContext().getState(new ValueStateDescriptor<>("row", table.rowType()));
    orders =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("orders", Types.LONG, Types.BOOLEAN));
  }

  @Override
  public void processElement(FanOutInput<R> input, Context ctx, Collector<RowFor<R>> out)
      throws Exception {
    long id = ctx.getCurrentKey();
    if (input.change() != null) {
      R before = input.change().before();
      R after = input.change().after();
      if (after == null) {
        row.clear();
      } else {
        row.update(after);
      }
      if (before != null && after != null && table.sameForOrders().test(before, after)) {
        return; // e.g. a price change: no read model shows it, so no order needs it
      }
      List<Long> ids = new ArrayList<>();
      orders.keys().forEach(ids::add);
      for (long orderId : ids) {
        out.collect(new RowFor<>(orderId, id, after));
      }
      return;
    }
    Membership m = input.membership();
    if (m.attached()) {
      orders.put(m.orderId(), true);
      out.collect(new RowFor<>(m.orderId(), id, row.value()));
    } else {
      orders.remove(m.orderId());
      out.collect(new RowFor<>(m.orderId(), id, null));
    }
  }
}
