package com.acme.shop.saga;

import static com.acme.shop.model.OrderCommandType.CANCEL_ORDER;
import static com.acme.shop.model.OrderCommandType.REFUND_PAYMENT;
import static com.acme.shop.model.OrderCommandType.RELEASE_INVENTORY;
import static com.acme.shop.model.OrderCommandType.SHIP_ORDER;
import static com.acme.shop.saga.SagaHarness.at;
import static com.acme.shop.saga.SagaHarness.declined;
import static com.acme.shop.saga.SagaHarness.event;
import static com.acme.shop.saga.SagaHarness.paid;
import static com.acme.shop.saga.SagaHarness.placed;
import static com.acme.shop.saga.SagaHarness.rejected;
import static com.acme.shop.saga.SagaHarness.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.InventoryStatus;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderCommandType;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentStatus;
import com.acme.shop.model.SagaState;
import com.acme.shop.model.SagaStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every path of the saga, on the job's own operator in a harness. */
class OrderSagaTest {
  SagaHarness saga;

  @BeforeEach
  void start() throws Exception {
    saga = new SagaHarness();
  }

  @AfterEach
  void close() throws Exception {
    saga.close();
  }

  static OrderCommand command(String order, OrderCommandType type, String time) {
    return new OrderCommand(order + "/" + type.wire(), order, type, at(time));
  }

  static SagaState state(
      String order,
      SagaStatus status,
      PaymentStatus payment,
      InventoryStatus inventory,
      String time) {
    return new SagaState(order, status, payment, inventory, at(time));
  }

  /** The end of input fires every timer; afterwards nothing of any saga is left. */
  void assertForgottenAtTheEnd() throws Exception {
    saga.endOfInput();
    assertThat(saga.stateEntries()).isZero();
    assertThat(saga.timers()).isZero();
  }

  @Test
  void paymentThenInventoryCompletesAndShips() throws Exception {
    saga.feed(placed("o1", "09:00:00"), paid("o1", "09:01:00"), reserved("o1", "09:02:00"));

    assertThat(saga.states())
        .containsExactly(
            state(
                "o1",
                SagaStatus.PENDING,
                PaymentStatus.PENDING,
                InventoryStatus.PENDING,
                "09:00:00"),
            state(
                "o1",
                SagaStatus.PENDING,
                PaymentStatus.AUTHORIZED,
                InventoryStatus.PENDING,
                "09:01:00"),
            state(
                "o1",
                SagaStatus.COMPLETED,
                PaymentStatus.AUTHORIZED,
                InventoryStatus.RESERVED,
                "09:02:00"));
    assertThat(saga.commands()).containsExactly(command("o1", SHIP_ORDER, "09:02:00"));
    // The deadline timer went with the completion: only the clean-up timer is left.
    assertThat(saga.timers()).isOne();
    assertForgottenAtTheEnd();
    assertThat(saga.commands()).hasSize(1);
  }

  @Test
  void inventoryThenPaymentCompletesTheSame() throws Exception {
    saga.feed(placed("o1", "09:00:00"), reserved("o1", "09:01:00"), paid("o1", "09:02:00"));

    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "o1",
                SagaStatus.COMPLETED,
                PaymentStatus.AUTHORIZED,
                InventoryStatus.RESERVED,
                "09:02:00"));
    assertThat(saga.commands()).containsExactly(command("o1", SHIP_ORDER, "09:02:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void paymentDeclinedCancelsAndReleasesTheReservedStock() throws Exception {
    saga.feed(placed("o1", "09:00:00"), reserved("o1", "09:01:00"), declined("o1", "09:02:00"));

    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "o1",
                SagaStatus.CANCELLED,
                PaymentStatus.DECLINED,
                InventoryStatus.RELEASED,
                "09:02:00"));
    assertThat(saga.commands())
        .containsExactly(
            command("o1", CANCEL_ORDER, "09:02:00"), command("o1", RELEASE_INVENTORY, "09:02:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void paymentDeclinedFirstCancelsWithNothingToGiveBack() throws Exception {
    saga.feed(placed("o1", "09:00:00"), declined("o1", "09:01:00"));

    assertThat(saga.lastState().state()).isEqualTo(SagaStatus.CANCELLED);
    assertThat(saga.commands()).containsExactly(command("o1", CANCEL_ORDER, "09:01:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void inventoryRejectedCancelsAndRefundsTheAuthorizedPayment() throws Exception {
    saga.feed(placed("o1", "09:00:00"), paid("o1", "09:01:00"), rejected("o1", "09:03:00"));

    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "o1",
                SagaStatus.CANCELLED,
                PaymentStatus.REFUNDED,
                InventoryStatus.REJECTED,
                "09:03:00"));
    assertThat(saga.commands())
        .containsExactly(
            command("o1", CANCEL_ORDER, "09:03:00"), command("o1", REFUND_PAYMENT, "09:03:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void answersUpToFifteenMinutesCountOneMillisecondLaterTimesOut() throws Exception {
    saga.feed(
        placed("in", "09:00:00"),
        paid("in", "09:05:00"),
        reserved("in", "09:14:59.999"),
        placed("edge", "09:00:00"),
        paid("edge", "09:05:00"),
        reserved("edge", "09:15:00"),
        placed("late", "09:00:00"),
        paid("late", "09:05:00"),
        reserved("late", "09:15:00.001"));

    assertThat(saga.commands())
        .containsExactly(
            command("in", SHIP_ORDER, "09:14:59.999"),
            command("edge", SHIP_ORDER, "09:15:00"),
            // The late answer proves the deadline passed: the saga times out at the deadline,
            // then the late reservation is given back.
            command("late", CANCEL_ORDER, "09:15:00"),
            command("late", REFUND_PAYMENT, "09:15:00"),
            command("late", RELEASE_INVENTORY, "09:15:00.001"));
    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "late",
                SagaStatus.TIMED_OUT,
                PaymentStatus.REFUNDED,
                InventoryStatus.RELEASED,
                "09:15:00.001"));
    assertForgottenAtTheEnd();
  }

  @Test
  void theDeadlineTimerTimesOutWhenTheWatermarkPassesIt() throws Exception {
    saga.feed(placed("o1", "09:00:00"), paid("o1", "09:05:00"));
    saga.watermark("09:14:59.999");
    assertThat(saga.commands()).isEmpty();

    saga.watermark("09:15:00");
    assertThat(saga.commands())
        .containsExactly(
            command("o1", CANCEL_ORDER, "09:15:00"), command("o1", REFUND_PAYMENT, "09:15:00"));
    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "o1",
                SagaStatus.TIMED_OUT,
                PaymentStatus.REFUNDED,
                InventoryStatus.PENDING,
                "09:15:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void aLateAnswerBeforeTheDeadlineTimerGivesWhatTheTimerWouldHave() throws Exception {
    // "answer": the late reservation arrives before the watermark reaches the deadline.
    saga.feed(placed("answer", "09:00:00"), paid("answer", "09:05:00"));
    saga.feed(reserved("answer", "09:20:00"));
    // "timer": the watermark passes the deadline first, then the same late reservation arrives.
    saga.feed(placed("timer", "09:00:00"), paid("timer", "09:05:00"));
    saga.watermark("09:15:00");
    saga.feed(reserved("timer", "09:20:00"));

    assertThat(commandsOf("answer")).isEqualTo(commandsOf("timer"));
    assertThat(saga.commands())
        .contains(
            command("timer", CANCEL_ORDER, "09:15:00"),
            command("timer", REFUND_PAYMENT, "09:15:00"),
            command("timer", RELEASE_INVENTORY, "09:20:00"));
    assertThat(commandsOf("timer")).hasSize(3);
    assertThat(statesOf("answer")).isEqualTo(statesOf("timer"));
    assertForgottenAtTheEnd();
  }

  /** One order's commands, with the order id left out so that two orders compare. */
  List<String> commandsOf(String order) {
    return saga.commands().stream()
        .filter(c -> c.orderId().equals(order))
        .map(c -> c.type() + "@" + c.eventTime())
        .toList();
  }

  List<String> statesOf(String order) {
    return saga.states().stream()
        .filter(s -> s.orderId().equals(order))
        .map(s -> s.state() + "/" + s.payment() + "/" + s.inventory() + "@" + s.updatedAt())
        .toList();
  }

  @Test
  void aSuccessAfterACancellationIsCompensatedExactlyOnce() throws Exception {
    saga.feed(
        placed("o1", "09:00:00"),
        rejected("o1", "09:01:00"),
        paid("o1", "09:02:00"),
        paid("o1", "09:02:00"),
        event("o1-paid-again", "o1", OrderEventType.PAYMENT_AUTHORIZED, "09:03:00"),
        reserved("o1", "09:04:00"));

    assertThat(saga.commands())
        .containsExactly(
            command("o1", CANCEL_ORDER, "09:01:00"),
            command("o1", REFUND_PAYMENT, "09:02:00"),
            command("o1", RELEASE_INVENTORY, "09:04:00"));
    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "o1",
                SagaStatus.CANCELLED,
                PaymentStatus.REFUNDED,
                InventoryStatus.RELEASED,
                "09:04:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void aSuccessAfterATimeOutIsCompensatedExactlyOnce() throws Exception {
    saga.feed(placed("o1", "09:00:00"));
    saga.watermark("09:16:00");
    saga.feed(reserved("o1", "09:15:30"), reserved("o1", "09:15:30"));

    assertThat(saga.commands())
        .containsExactly(
            command("o1", CANCEL_ORDER, "09:15:00"), command("o1", RELEASE_INVENTORY, "09:15:30"));
    assertForgottenAtTheEnd();
  }

  @Test
  void eventsAfterACompletionChangeNothing() throws Exception {
    saga.feed(
        placed("o1", "09:00:00"),
        paid("o1", "09:01:00"),
        reserved("o1", "09:02:00"),
        declined("o1", "09:03:00"),
        rejected("o1", "09:04:00"),
        reserved("o1", "09:40:00"));

    assertThat(saga.commands()).containsExactly(command("o1", SHIP_ORDER, "09:02:00"));
    assertThat(saga.states()).hasSize(3);
    assertForgottenAtTheEnd();
  }

  @Test
  void duplicatesOfEveryEventChangeNothing() throws Exception {
    OrderEvent[] once = {
      placed("o1", "09:00:00"), paid("o1", "09:01:00"), reserved("o1", "09:02:00")
    };
    saga.feed(once[0], once[0], once[1], once[0], once[1], once[2], once[2], once[1]);

    assertThat(saga.states()).hasSize(3);
    assertThat(saga.commands()).containsExactly(command("o1", SHIP_ORDER, "09:02:00"));
    assertThat(saga.placementsAndPayments()).containsExactly(once[0], once[1]);
    assertForgottenAtTheEnd();
  }

  @Test
  void anEventBeforeItsPlacementWaitsAndIsAppliedWhenThePlacementComes() throws Exception {
    saga.feed(paid("o1", "09:00:01"), paid("o1", "09:00:01"), reserved("o1", "09:00:02"));
    saga.watermark("09:10:00");
    assertThat(saga.states()).isEmpty();

    saga.feed(placed("o1", "09:00:00"));
    assertThat(saga.lastState())
        .isEqualTo(
            state(
                "o1",
                SagaStatus.COMPLETED,
                PaymentStatus.AUTHORIZED,
                InventoryStatus.RESERVED,
                "09:00:02"));
    assertThat(saga.commands()).containsExactly(command("o1", SHIP_ORDER, "09:00:02"));
    assertThat(saga.deadLetters()).isEmpty();
    assertForgottenAtTheEnd();
    assertThat(saga.deadLetters()).isEmpty();
  }

  @Test
  void aHeldEventAtThePlacementsOwnTimeLeavesItsDeadlineInPlace() throws Exception {
    // The held event's wait ends at the same millisecond as the saga's deadline.
    saga.feed(paid("o1", "09:00:00"), placed("o1", "09:00:00"));
    saga.watermark("09:15:00");

    assertThat(saga.commands())
        .containsExactly(
            command("o1", CANCEL_ORDER, "09:15:00"), command("o1", REFUND_PAYMENT, "09:15:00"));
    assertForgottenAtTheEnd();
  }

  @Test
  void anEventWhoseOrderNeverComesGoesToTheDeadLettersAfterTheWait() throws Exception {
    OrderEvent orphan = paid("ghost", "09:00:00");
    saga.feed(orphan, reserved("ghost", "09:01:00"));
    saga.watermark("09:14:59.999");
    assertThat(saga.deadLetters()).isEmpty();

    saga.watermark("09:15:00");
    List<DeadLetter> dead = saga.deadLetters();
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0).job()).isEqualTo("order-saga");
    assertThat(dead.get(0).sourceTopic()).isEqualTo("orders.events");
    assertThat(dead.get(0).key()).isEqualTo("ghost");
    assertThat(dead.get(0).value())
        .isEqualTo(new String(Json.bytes(orphan), StandardCharsets.UTF_8));
    assertThat(dead.get(0).error()).startsWith("no OrderPlaced for this order within PT15M");
    assertThat(saga.states()).isEmpty();
    assertThat(saga.commands()).isEmpty();
    assertThat(saga.stateEntries()).isZero();
    assertThat(saga.timers()).isZero();
  }

  @Test
  void aFinishedSagaIsForgottenAfterItsRetention() throws Exception {
    saga.feed(placed("o1", "09:00:00"), declined("o1", "09:01:00"));
    saga.watermark(at("09:01:00").plus(Duration.ofDays(1)).minusMillis(1));
    assertThat(saga.stateEntries()).isOne();

    saga.watermark(at("09:01:00").plus(Duration.ofDays(1)));
    assertThat(saga.stateEntries()).isZero();
    assertThat(saga.timers()).isZero();
  }
}
