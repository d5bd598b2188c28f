package com.acme.shop.cdc;

import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import java.io.Serializable;
import java.util.Objects;
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
 * Per order: its current row and the current rows of the customer and product it references, as the
 * {@link FanOut}s last sent them, and what {@code projection} makes of the three. Emits the
 * projection's old and new value whenever it changes, so whatever follows can retract exactly what
 * it was given before.
 *
 * <p>Customers and products are kept by their id, not as "the order's customer": when an order
 * moves to another customer, the new customer's row may arrive before or after the order's update,
 * and either way the join finds it. The customer it left sends null, which removes it.
 *
 * <p>State: the order while it exists, the rows of the entities it references, the last projection;
 * all gone once the order is deleted and its customer and product let it go.
 */
final class OrderJoin<T> extends KeyedProcessFunction<Long, JoinInput, Joined<T>> {
  /** What one order, with its customer and product (null when not there), gives; or null. */
  @FunctionalInterface
  interface Projection<T> extends Serializable {
    T of(OrderRow order, CustomerRow customer, ProductRow product);
  }

  private final Projection<T> projection;
  private final TypeInformation<T> type;
  private transient ValueState<OrderRow> order;
  private transient MapState<Long, CustomerRow> customers;
  private transient MapState<Long, ProductRow> products;
  private transient ValueState<T> last;

  OrderJoin(Projection<T> projection, TypeInformation<T> type) {
    this.projection = projection;
    this.type = type;
  }

  /**
   * Joins orders with customers (may be null: a projection that needs none) and products.
   *
   * @param joinedType the type of {@code Joined<T>}
   */
  static <T> SingleOutputStreamOperator<Joined<T>> apply(
      String uid,
      String name,
      DataStream<RowChange<OrderRow>> orders,
      DataStream<RowFor<CustomerRow>> customers,
      DataStream<RowFor<ProductRow>> products,
      Projection<T> projection,
      TypeInformation<T> type,
      TypeInformation<Joined<T>> joinedType) {
    DataStream<JoinInput> inputs =
        orders
            .map(JoinInput::of, Tables.JOIN_INPUT)
            .name(uid + ": orders as join input")
            .union(products.map(JoinInput::product, Tables.JOIN_INPUT).name(uid + ": products in"));
    if (customers != null) {
      inputs =
          inputs.union(
              customers.map(JoinInput::customer, Tables.JOIN_INPUT).name(uid + ": customers in"));
    }
    return inputs
        .keyBy(JoinInput::orderId, Types.LONG)
        .process(new OrderJoin<>(projection, type), joinedType)
        .uid(uid)
        .name(name);
  }

  static <T> TypeInformation<Joined<T>> joinedType(TypeHint<Joined<T>> hint) {
    return TypeInformation.of(hint);
  }

  @Override
  public void open(OpenContext openContext) {
    order =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("order", TypeInformation.of(OrderRow.class)));
    customers =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "customers", Types.LONG, TypeInformation.of(CustomerRow.class)));
    products =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "products", Types.LONG, TypeInformation.of(ProductRow.class)));
    last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", type));
  }

  @Override
  public void processElement(JoinInput input, Context ctx, Collector<Joined<T>> out)
      throws Exception {
    if (input.order() != null) {
      OrderRow after = input.order().after();
      if (after == null) {
        order.clear();
      } else {
        order.update(after);
      }
    } else if (input.customer() != null) {
      put(customers, input.customer());
    } else {
      put(products, input.product());
    }

    OrderRow current = order.value();
    T now =
        current == null
            ? null
            : projection.of(
                current, get(customers, current.customerId()), get(products, current.productId()));
    T before = last.value();
    if (Objects.equals(before, now)) {
      return;
    }
    if (now == null) {
      last.clear();
    } else {
      last.update(now);
    }
    out.collect(new Joined<>(ctx.getCurrentKey(), before, now));
  }

  private static <R> void put(MapState<Long, R> rows, RowFor<R> update) throws Exception {
    if (update.row() == null) {
      rows.remove(update.entityId());
    } else {
      rows.put(update.entityId(), update.row());
    }
  }

  private static <R> R get(MapState<Long, R> rows, Long id) throws Exception {
    return id == null ? null : rows.get(id);
  }
}
