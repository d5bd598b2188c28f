package com.acme.shop.saga;

import com.acme.shop.flink.LateEvents;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
import org.apache.flink.util.Collector;

/**
 * {@code orders.payment-latency}: an interval join of each {@code OrderPlaced} with the {@code
 * PaymentAuthorized} of the same order at most {@code timeout} after it, in event time. The join
 * keeps each placement only until the watermark passes its time plus the interval, and each payment
 * until it passes the payment's time, so its state is bounded by the interval.
 *
 * <p>It reads the saga's {@link OrderSaga#PLACEMENTS_AND_PAYMENTS}: each order's first placement
 * and first payment, so a redelivered event does not join twice. Its input must come straight from
 * the saga (same parallelism, forward), which is keyed by orderId too.
 */
final class PaymentLatencyJoin {
  static final String UID = "payment-latency-join";

  private PaymentLatencyJoin() {}

  /** Placements and payments the join would drop as late, for the late topic. */
  static LateEvents<OrderEvent> latePlacements(String topic) {
    return LateEvents.of("late-placements", Topics.ORDER_EVENTS.type(), topic, OrderEvent::orderId);
  }

  static LateEvents<OrderEvent> latePayments(String topic) {
    return LateEvents.of("late-payments", Topics.ORDER_EVENTS.type(), topic, OrderEvent::orderId);
  }

  static SingleOutputStreamOperator<PaymentLatency> join(
      DataStream<OrderEvent> placementsAndPayments,
      Duration timeout,
      LateEvents<OrderEvent> latePlacements,
      LateEvents<OrderEvent> latePayments) {
    // The saga's side output is already partitioned by orderId, subtask for subtask as keyBy
    // would do it: reading it as keyed saves a second shuffle of every placement and payment.
    KeyedStream<OrderEvent, String> placements =
        DataStreamUtils.reinterpretAsKeyedStream(
            placementsAndPayments
                .filter(e -> e.type() == OrderEventType.ORDER_PLACED)
                .name("placements"),
            OrderEvent::orderId,
            Types.STRING);
    KeyedStream<OrderEvent, String> payments =
        DataStreamUtils.reinterpretAsKeyedStream(
            placementsAndPayments
                .filter(e -> e.type() == OrderEventType.PAYMENT_AUTHORIZED)
                .name("payments"),
            OrderEvent::orderId,
            Types.STRING);
    return LateEvents.caughtIn(
            placements.intervalJoin(payments).between(Duration.ZERO, timeout),
            latePlacements,
            latePayments)
        .process(new Latency(), Topics.PAYMENT_LATENCY.type())
        .uid(UID)
        .name("payment latency: placements joined with payments within " + timeout);
  }

  private static final class Latency
      extends ProcessJoinFunction<OrderEvent, OrderEvent, PaymentLatency> {
    @Override
    public void processElement(
        OrderEvent placed, OrderEvent paid, Context ctx, Collector<PaymentLatency> out) {
      out.collect(
          new PaymentLatency(
              placed.orderId(),
              placed.amount(),
              placed.eventTime(),
              paid.eventTime(),
              paid.eventTime().toEpochMilli() - placed.eventTime().toEpochMilli()));
    }
  }
}
