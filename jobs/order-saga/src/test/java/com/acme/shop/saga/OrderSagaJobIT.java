package com.acme.shop.saga;

import static com.acme.shop.saga.SagaHarness.at;
import static com.acme.shop.saga.SagaHarness.paid;
import static com.acme.shop.saga.SagaHarness.placed;
import static com.acme.shop.saga.SagaHarness.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderCommandType;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.model.SagaState;
import com.acme.shop.testing.Await;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO.Message;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole job on the MiniCluster with a real broker, on fixed orders. */
class OrderSagaJobIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static List<Message> messages(OrderEvent... events) {
    return Stream.of(events).map(e -> Message.of(e.orderId(), Json.text(e))).toList();
  }

  /**
   * Unbounded, so that the test knows where the watermark stands: an order placed at 09:00 that
   * never gets an answer times out only once the watermark has passed 09:15.
   */
  @Test
  void thePaymentLatencyJoinTakesPaymentsUpToFifteenMinutesAfterThePlacement() throws Exception {
    SagaRuns.Topics topics = SagaRuns.Topics.unique().create(KAFKA.topics(), 1, 2);
    JobClient job = SagaRuns.start(SagaRuns.params(KAFKA, topics, "--parallelism", "1"));
    try {
      KAFKA
          .topics()
          .write(
              topics.events(),
              // In time order within the out-of-orderness, so that only the one meant to be
              // is late for the join.
              messages(
                  placed("quick", "09:00:00"),
                  placed("edge", "09:00:00"),
                  placed("over", "09:00:00"),
                  placed("early", "09:00:00"),
                  placed("tick", "09:00:00"),
                  paid("early", "08:59:59.999"),
                  paid("quick", "09:00:30"),
                  reserved("over", "09:01:00"),
                  paid("edge", "09:15:00"),
                  paid("over", "09:15:00.001"),
                  placed("later", "10:00:00")));
      Await.until(
          "the watermark to pass 09:15 (order tick timed out)",
          Duration.ofMinutes(2),
          () -> commandsOf(topics, "tick").contains(OrderCommandType.CANCEL_ORDER));

      // Behind the watermark now: late for the join, which sends it to the late topic; the saga
      // still takes it.
      OrderEvent latePlacement = placed("late", "09:30:00");
      KAFKA.topics().write(topics.events(), messages(latePlacement));
      Await.until(
          "the late placement in the late topic",
          Duration.ofMinutes(2),
          () -> !KAFKA.topics().readAll(topics.late()).isEmpty());

      assertThat(SagaRuns.read(KAFKA, topics.late(), OrderEvent.class))
          .containsExactly(latePlacement);
      assertThat(SagaRuns.read(KAFKA, topics.latency(), PaymentLatency.class))
          .containsExactlyInAnyOrder(
              latency("quick", "09:00:00", "09:00:30", 30_000),
              latency("edge", "09:00:00", "09:15:00", 900_000));
      assertThat(commandsOf(topics, "over"))
          // Timed out at the deadline, giving back the stock; then the late payment refunded.
          .containsExactly(
              OrderCommandType.CANCEL_ORDER,
              OrderCommandType.RELEASE_INVENTORY,
              OrderCommandType.REFUND_PAYMENT);
      Await.until(
          "the late order's saga",
          Duration.ofMinutes(1),
          () ->
              SagaRuns.read(KAFKA, topics.sagas(), SagaState.class).stream()
                  .anyMatch(s -> s.orderId().equals("late")));
      assertThat(KAFKA.topics().readAll(topics.dlq())).isEmpty();
    } finally {
      job.cancel().get();
    }
  }

  static List<OrderCommandType> commandsOf(SagaRuns.Topics topics, String order) {
    return SagaRuns.read(KAFKA, topics.commands(), OrderCommand.class).stream()
        .filter(c -> c.orderId().equals(order))
        .map(OrderCommand::type)
        .toList();
  }

  static PaymentLatency latency(String order, String placedAt, String paidAt, long ms) {
    return new PaymentLatency(order, new BigDecimal("42.50"), at(placedAt), at(paidAt), ms);
  }

  @Test
  void whenTheInputFallsSilentTheDeadlineStillFiresOnTheWallClock() throws Exception {
    SagaRuns.Topics topics = SagaRuns.Topics.unique().create(KAFKA.topics(), 2, 2);
    JobClient job =
        SagaRuns.start(SagaRuns.params(KAFKA, topics, "--idleness", "1s", "--saga-timeout", "5s"));
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      BigDecimal amount = new BigDecimal("10.00");
      OrderEvent placement =
          new OrderEvent("p1", "quiet", OrderEventType.ORDER_PLACED, "c1", amount, now);
      OrderEvent payment =
          new OrderEvent(
              "a1", "quiet", OrderEventType.PAYMENT_AUTHORIZED, "c1", amount, now.plusMillis(200));
      KAFKA.topics().write(topics.events(), messages(placement, payment));

      // Nothing else ever comes: only the idle clock can move event time past the deadline.
      Await.until(
          "the silent order to time out",
          Duration.ofMinutes(2),
          () ->
              SagaRuns.read(KAFKA, topics.commands(), OrderCommand.class).stream()
                  .anyMatch(c -> c.type() == OrderCommandType.REFUND_PAYMENT));
      assertThat(SagaRuns.read(KAFKA, topics.commands(), OrderCommand.class))
          .containsExactlyInAnyOrder(
              new OrderCommand(
                  "quiet/CancelOrder", "quiet", OrderCommandType.CANCEL_ORDER, now.plusSeconds(5)),
              new OrderCommand(
                  "quiet/RefundPayment",
                  "quiet",
                  OrderCommandType.REFUND_PAYMENT,
                  now.plusSeconds(5)));
    } finally {
      job.cancel().get();
    }
  }
}
