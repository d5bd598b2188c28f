package com.acme.shop.saga;

import com.acme.shop.flink.WallClockWhenIdle;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.InventoryStatus;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderCommandType;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentStatus;
import com.acme.shop.model.SagaState;
import com.acme.shop.model.SagaStatus;
import com.acme.shop.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The saga of one order, as a state machine keyed by orderId. It starts at {@code OrderPlaced} and
 * ends {@code COMPLETED}, {@code CANCELLED} or {@code TIMED_OUT}:
 *
 * <ul>
 *   <li>both {@code PaymentAuthorized} and {@code InventoryReserved} within the timeout of the
 *       placement: {@code COMPLETED}, command {@code ShipOrder};
 *   <li>a {@code PaymentDeclined} or {@code InventoryRejected} first: {@code CANCELLED}, commands
 *       {@code CancelOrder} and the compensations of what succeeded so far ({@code RefundPayment},
 *       {@code ReleaseInventory});
 *   <li>the timeout passes without both: {@code TIMED_OUT}, the same commands.
 * </ul>
 *
 * Events are applied in the order they arrive (one order's events share a partition, so that is the
 * order the outbox committed them in); event time decides only whether an answer came in time. An
 * event later than the deadline times the saga out first, exactly as the deadline timer would have,
 * so the result does not depend on when the watermark passes. After the end only a success matters:
 * it gets its compensation, once. Each event type is taken once per saga, so a redelivered event
 * changes nothing.
 *
 * <p>An event whose order has not been placed is held for {@link SagaSettings#unknownOrderWait()}
 * and applied after the placement when it comes, else sent to the dead-letter topic. A finished
 * saga is remembered for {@link SagaSettings#retention()}, then forgotten.
 */
final class OrderSaga extends KeyedProcessFunction<String, OrderEvent, SagaState> {
  private static final long serialVersionUID = 1L;

  static final String UID = "order-saga";

  /** The commands the saga issues, for {@code orders.commands}. */
  static final OutputTag<OrderCommand> COMMANDS =
      new OutputTag<>("saga-commands", Topics.ORDER_COMMANDS.type());

  /**
   * Each order's first {@code OrderPlaced} and first {@code PaymentAuthorized}, as they arrive and
   * with their own timestamps: the duplicate-free inputs of the payment-latency join.
   */
  static final OutputTag<OrderEvent> PLACEMENTS_AND_PAYMENTS =
      new OutputTag<>("placements-and-payments", Topics.ORDER_EVENTS.type());

  /** Events whose order was never placed, for the dead-letter topic. */
  static final OutputTag<DeadLetter> UNKNOWN_ORDERS =
      new OutputTag<>("unknown-orders", TypeInformation.of(DeadLetter.class));

  static final ValueStateDescriptor<SagaProgress> PROGRESS =
      new ValueStateDescriptor<>("saga", TypeInformation.of(SagaProgress.class));
  static final ListStateDescriptor<OrderEvent> WAITING =
      new ListStateDescriptor<>("waiting-for-placement", Topics.ORDER_EVENTS.type());

  private final SagaSettings settings;
  private final String job;
  private final String sourceTopic;

  private transient ValueState<SagaProgress> progress;
  private transient ListState<OrderEvent> waiting;
  private transient Clock clock;
  private transient Counter unknownOrders;
  private transient Counter duplicates;

  OrderSaga(SagaSettings settings, String job, String sourceTopic) {
    this.settings = settings;
    this.job = job;
    this.sourceTopic = sourceTopic;
  }

  /** The saga over {@code events}; its side outputs are {@link #COMMANDS} and the others. */
  static SingleOutputStreamOperator<SagaState> run(
      DataStream<OrderEvent> events, SagaSettings settings, String job, String sourceTopic) {
    return WallClockWhenIdle.process(
            events,
            OrderEvent::orderId,
            new OrderSaga(settings, job, sourceTopic),
            Topics.SAGA.type(),
            settings.wallClockWhenIdle(),
            "order saga: state machine, commands, deadlines")
        .uid(UID);
  }

  @Override
  public void open(OpenContext openContext) {
    progress = getRuntimeContext().getState(PROGRESS);
    waiting = getRuntimeContext().getListState(WAITING);
    clock = Clock.systemUTC();
    unknownOrders = getRuntimeContext().getMetricGroup().counter("unknownOrders");
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
  }

  @Override
  public void processElement(OrderEvent event, Context ctx, Collector<SagaState> out)
      throws Exception {
    Steps steps = new Steps(ctx, out);
    SagaProgress saga = progress.value();
    if (saga == null) {
      if (event.type() == OrderEventType.ORDER_PLACED) {
        ctx.output(PLACEMENTS_AND_PAYMENTS, event);
        start(event, steps);
      } else {
        hold(event, ctx);
      }
      return;
    }
    if (!saga.takeFirst(event.type())) {
      duplicates.inc();
      return;
    }
    if (event.type() == OrderEventType.PAYMENT_AUTHORIZED) {
      ctx.output(PLACEMENTS_AND_PAYMENTS, event);
    }
    apply(saga, event, steps);
    progress.update(saga);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SagaState> out)
      throws Exception {
    SagaProgress saga = progress.value();
    if (saga == null) {
      giveUpWaiting(timestamp, ctx);
      return;
    }
    if (saga.isPending() && timestamp >= saga.deadline) {
      timeOut(saga, new Steps(ctx, out));
      progress.update(saga);
    } else if (!saga.isPending() && timestamp >= forgetAt(saga)) {
      progress.clear();
    }
  }

  private void start(OrderEvent placement, Steps steps) throws Exception {
    List<OrderEvent> held = new ArrayList<>();
    waiting.get().forEach(held::add);
    if (!held.isEmpty()) {
      // Before the deadline timer is set: the two may fall on the same millisecond.
      steps.timers.deleteEventTimeTimer(waitUntil(held.get(0)));
      waiting.clear();
    }
    SagaProgress saga =
        SagaProgress.placed(placement.eventTime().toEpochMilli(), settings.timeout().toMillis());
    steps.timers.registerEventTimeTimer(saga.deadline);
    steps.state(saga, placement.eventTime());
    // The events that came before their placement, in the order they came.
    for (OrderEvent event : held) {
      if (saga.takeFirst(event.type())) {
        apply(saga, event, steps);
      }
    }
    progress.update(saga);
  }

  private void hold(OrderEvent event, Context ctx) throws Exception {
    boolean first = true;
    for (OrderEvent held : waiting.get()) {
      first = false;
      if (held.type() == event.type()) {
        duplicates.inc();
        return;
      }
    }
    if (first) {
      // One timer for all of the order's held events: the wait counts from the first of them.
      ctx.timerService().registerEventTimeTimer(waitUntil(event));
    }
    if (event.type() == OrderEventType.PAYMENT_AUTHORIZED) {
      ctx.output(PLACEMENTS_AND_PAYMENTS, event);
    }
    waiting.add(event);
  }

  private void giveUpWaiting(long timestamp, OnTimerContext ctx) throws Exception {
    Instant now = clock.instant();
    boolean any = false;
    for (OrderEvent event : waiting.get()) {
      if (!any && timestamp < waitUntil(event)) {
        return; // not this timer: a placement came and went, and this one was left over
      }
      any = true;
      unknownOrders.inc();
      ctx.output(UNKNOWN_ORDERS, DeadLetter.of(asReceived(event), job, unknownReason(), now));
    }
    waiting.clear();
  }

  private String unknownReason() {
    return "no OrderPlaced for this order within "
        + settings.unknownOrderWait()
        + " of event time (never placed, or finished more than "
        + settings.retention()
        + " before)";
  }

  /** Applies an event the saga has not taken before. */
  private void apply(SagaProgress saga, OrderEvent event, Steps steps) {
    Instant at = event.eventTime();
    if (saga.isPending() && at.toEpochMilli() > saga.deadline) {
      // Later than the deadline: the saga has timed out in event time, whether or not the
      // watermark has passed the deadline yet. Time it out now, then take the event as one
      // that came after the end.
      steps.timers.deleteEventTimeTimer(saga.deadline);
      timeOut(saga, steps);
    }
    switch (saga.status) {
      case PENDING -> applyWhilePending(saga, event, steps);
      case CANCELLED, TIMED_OUT -> compensateLateSuccess(saga, event, steps);
      case COMPLETED -> {} // finished; nothing changes it
    }
  }

  private void applyWhilePending(SagaProgress saga, OrderEvent event, Steps steps) {
    Instant at = event.eventTime();
    switch (event.type()) {
      case PAYMENT_AUTHORIZED -> {
        saga.payment = PaymentStatus.AUTHORIZED;
        completeOrReport(saga, at, steps);
      }
      case INVENTORY_RESERVED -> {
        saga.inventory = InventoryStatus.RESERVED;
        completeOrReport(saga, at, steps);
      }
      case PAYMENT_DECLINED -> {
        if (saga.payment == PaymentStatus.PENDING) {
          saga.payment = PaymentStatus.DECLINED;
        }
        finishUnsuccessfully(saga, SagaStatus.CANCELLED, at, steps);
      }
      case INVENTORY_REJECTED -> {
        if (saga.inventory == InventoryStatus.PENDING) {
          saga.inventory = InventoryStatus.REJECTED;
        }
        finishUnsuccessfully(saga, SagaStatus.CANCELLED, at, steps);
      }
      case ORDER_PLACED -> {} // taken once, at the start
    }
  }

  private void completeOrReport(SagaProgress saga, Instant at, Steps steps) {
    if (saga.payment == PaymentStatus.AUTHORIZED && saga.inventory == InventoryStatus.RESERVED) {
      saga.status = SagaStatus.COMPLETED;
      steps.timers.deleteEventTimeTimer(saga.deadline);
      finish(saga, at, steps);
      steps.command(OrderCommandType.SHIP_ORDER, at);
    }
    steps.state(saga, at);
  }

  private void timeOut(SagaProgress saga, Steps steps) {
    finishUnsuccessfully(saga, SagaStatus.TIMED_OUT, Instant.ofEpochMilli(saga.deadline), steps);
  }

  /** Cancels the order and gives back whatever had succeeded so far. */
  private void finishUnsuccessfully(SagaProgress saga, SagaStatus status, Instant at, Steps steps) {
    saga.status = status;
    if (status == SagaStatus.CANCELLED) {
      steps.timers.deleteEventTimeTimer(saga.deadline);
    }
    finish(saga, at, steps);
    steps.command(OrderCommandType.CANCEL_ORDER, at);
    if (saga.payment == PaymentStatus.AUTHORIZED) {
      saga.payment = PaymentStatus.REFUNDED;
      steps.command(OrderCommandType.REFUND_PAYMENT, at);
    }
    if (saga.inventory == InventoryStatus.RESERVED) {
      saga.inventory = InventoryStatus.RELEASED;
      steps.command(OrderCommandType.RELEASE_INVENTORY, at);
    }
    steps.state(saga, at);
  }

  /** A success after a cancellation or time-out: undo it, once (each type is taken once). */
  private void compensateLateSuccess(SagaProgress saga, OrderEvent event, Steps steps) {
    Instant at = event.eventTime();
    if (event.type() == OrderEventType.PAYMENT_AUTHORIZED) {
      saga.payment = PaymentStatus.REFUNDED;
      steps.command(OrderCommandType.REFUND_PAYMENT, at);
      steps.state(saga, at);
    } else if (event.type() == OrderEventType.INVENTORY_RESERVED) {
      saga.inventory = InventoryStatus.RELEASED;
      steps.command(OrderCommandType.RELEASE_INVENTORY, at);
      steps.state(saga, at);
    }
  }

  private void finish(SagaProgress saga, Instant at, Steps steps) {
    saga.finishedAt = at.toEpochMilli();
    steps.timers.registerEventTimeTimer(forgetAt(saga));
  }

  private long forgetAt(SagaProgress saga) {
    return saga.finishedAt + settings.retention().toMillis();
  }

  private long waitUntil(OrderEvent event) {
    return event.eventTime().toEpochMilli() + settings.unknownOrderWait().toMillis();
  }

  /** The event as a record of its topic: the parsed event is all that is left of it. */
  private RawRecord asReceived(OrderEvent event) {
    return new RawRecord(
        sourceTopic, -1, -1, event.orderId().getBytes(StandardCharsets.UTF_8), Json.bytes(event));
  }

  /** What a saga step emits: its state changes and commands, under the current key. */
  private static final class Steps {
    final TimerService timers;
    private final Collector<SagaState> out;
    private final KeyedProcessFunction<String, OrderEvent, SagaState>.Context ctx;

    Steps(
        KeyedProcessFunction<String, OrderEvent, SagaState>.Context ctx, Collector<SagaState> out) {
      this.ctx = ctx;
      this.timers = ctx.timerService();
      this.out = out;
    }

    void state(SagaProgress saga, Instant at) {
      out.collect(
          new SagaState(ctx.getCurrentKey(), saga.status, saga.payment, saga.inventory, at));
    }

    void command(OrderCommandType type, Instant at) {
      String orderId = ctx.getCurrentKey();
      ctx.output(COMMANDS, new OrderCommand(commandId(orderId, type), orderId, type, at));
    }
  }

  /**
   * A command's id: the order and the command type. A saga issues each type at most once, so the id
   * is unique, and a replay of the same events writes the same ids.
   */
  static String commandId(String orderId, OrderCommandType type) {
    return orderId + "/" + type.wire();
  }
}
