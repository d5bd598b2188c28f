package com.acme.shop.saga;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.SagaState;
import com.acme.shop.testing.Harnesses;
import com.acme.shop.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** The job's saga operator in a test harness, and the events to feed it. */
final class SagaHarness implements AutoCloseable {
  static final String DAY = "2026-11-23T";

  final KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, SagaState> harness;

  SagaHarness(SagaSettings settings) throws Exception {
    this(settings, null);
  }

  /** The operator restored from {@code snapshot}, or fresh when it is null. */
  SagaHarness(SagaSettings settings, OperatorSubtaskState snapshot) throws Exception {
    harness =
        Harnesses.lastOperatorOf(
            Topics.ORDER_EVENTS.type(),
            events -> OrderSaga.run(events, settings, OrderSagaJob.JOB, "orders.events"),
            snapshot);
  }

  SagaHarness() throws Exception {
    this(SagaSettings.contract());
  }

  static Instant at(String time) {
    return Instant.parse(DAY + time + "Z");
  }

  static OrderEvent event(String id, String order, OrderEventType type, String time) {
    return new OrderEvent(id, order, type, "c1", new BigDecimal("42.50"), at(time));
  }

  static OrderEvent placed(String order, String time) {
    return event(order + "-placed", order, OrderEventType.ORDER_PLACED, time);
  }

  static OrderEvent paid(String order, String time) {
    return event(order + "-paid", order, OrderEventType.PAYMENT_AUTHORIZED, time);
  }

  static OrderEvent declined(String order, String time) {
    return event(order + "-declined", order, OrderEventType.PAYMENT_DECLINED, time);
  }

  static OrderEvent reserved(String order, String time) {
    return event(order + "-reserved", order, OrderEventType.INVENTORY_RESERVED, time);
  }

  static OrderEvent rejected(String order, String time) {
    return event(order + "-rejected", order, OrderEventType.INVENTORY_REJECTED, time);
  }

  SagaHarness feed(OrderEvent... events) throws Exception {
    for (OrderEvent e : events) {
      harness.processElement(e, e.eventTime().toEpochMilli());
    }
    return this;
  }

  SagaHarness watermark(String time) throws Exception {
    return watermark(at(time));
  }

  SagaHarness watermark(Instant time) throws Exception {
    harness.processWatermark(new Watermark(time.toEpochMilli()));
    return this;
  }

  /** The end of a bounded run: the final watermark fires every deadline and clean-up. */
  SagaHarness endOfInput() throws Exception {
    harness.processWatermark(Watermark.MAX_WATERMARK);
    return this;
  }

  List<SagaState> states() {
    return harness.extractOutputValues();
  }

  SagaState lastState() {
    List<SagaState> states = states();
    return states.get(states.size() - 1);
  }

  List<OrderCommand> commands() {
    return sideOutput(harness.getSideOutput(OrderSaga.COMMANDS));
  }

  List<OrderEvent> placementsAndPayments() {
    return sideOutput(harness.getSideOutput(OrderSaga.PLACEMENTS_AND_PAYMENTS));
  }

  List<DeadLetter> deadLetters() {
    return sideOutput(harness.getSideOutput(OrderSaga.UNKNOWN_ORDERS));
  }

  private static <T> List<T> sideOutput(java.util.Collection<StreamRecord<T>> records) {
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }

  int stateEntries() {
    return harness.numKeyedStateEntries();
  }

  int timers() {
    return harness.numEventTimeTimers();
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
