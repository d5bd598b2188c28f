package com.acme.shop.saga;

import com.acme.shop.model.InventoryStatus;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderCommandType;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.model.PaymentStatus;
import com.acme.shop.model.SagaState;
import com.acme.shop.model.SagaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the job must write for a bounded run over {@code events}, computed here from the contract's
 * rules, one order at a time, without Flink: each order's events in the order they were written
 * (one order's events share a partition), the placement first, then the events that came before it,
 * then the rest; each event type taken once; at the end of input every pending saga times out at
 * its deadline, and events of orders never placed are dead letters (one per type).
 */
final class ExpectedSagas {
  static final Duration TIMEOUT = Duration.ofMinutes(15);

  final Map<String, List<SagaState>> states = new LinkedHashMap<>();
  final List<OrderCommand> commands = new ArrayList<>();
  final List<PaymentLatency> latencies = new ArrayList<>();
  final List<OrderEvent> neverPlaced = new ArrayList<>();

  /** {@code events} in the order the job reads them, per order. */
  static ExpectedSagas of(List<OrderEvent> events) {
    Map<String, List<OrderEvent>> byOrder = new LinkedHashMap<>();
    for (OrderEvent e : events) {
      byOrder.computeIfAbsent(e.orderId(), o -> new ArrayList<>()).add(e);
    }
    ExpectedSagas expected = new ExpectedSagas();
    byOrder.forEach(expected::order);
    return expected;
  }

  private void order(String orderId, List<OrderEvent> events) {
    OrderEvent placement =
        events.stream()
            .filter(e -> e.type() == OrderEventType.ORDER_PLACED)
            .findFirst()
            .orElse(null);
    OrderEvent payment =
        events.stream()
            .filter(e -> e.type() == OrderEventType.PAYMENT_AUTHORIZED)
            .findFirst()
            .orElse(null);
    if (placement == null) {
      Set<OrderEventType> seen = EnumSet.noneOf(OrderEventType.class);
      events.stream().filter(e -> seen.add(e.type())).forEach(neverPlaced::add);
      return;
    }
    if (payment != null) {
      long latency = payment.eventTime().toEpochMilli() - placement.eventTime().toEpochMilli();
      if (latency >= 0 && latency <= TIMEOUT.toMillis()) {
        latencies.add(
            new PaymentLatency(
                orderId, placement.amount(), placement.eventTime(), payment.eventTime(), latency));
      }
    }
    int placedAt = events.indexOf(placement);
    List<OrderEvent> applied = new ArrayList<>();
    applied.addAll(events.subList(0, placedAt));
    applied.addAll(events.subList(placedAt + 1, events.size()));
    new Saga(orderId, placement.eventTime()).run(applied);
  }

  /** One saga, as plainly as the contract states it. */
  private final class Saga {
    final String orderId;
    final Instant deadline;
    SagaStatus status = SagaStatus.PENDING;
    PaymentStatus payment = PaymentStatus.PENDING;
    InventoryStatus inventory = InventoryStatus.PENDING;

    Saga(String orderId, Instant placedAt) {
      this.orderId = orderId;
      this.deadline = placedAt.plus(TIMEOUT);
      emitState(placedAt);
    }

    void run(List<OrderEvent> events) {
      Set<OrderEventType> taken = EnumSet.of(OrderEventType.ORDER_PLACED);
      for (OrderEvent e : events) {
        if (!taken.add(e.type())) {
          continue;
        }
        if (status == SagaStatus.PENDING && e.eventTime().isAfter(deadline)) {
          end(SagaStatus.TIMED_OUT, deadline);
        }
        if (status == SagaStatus.PENDING) {
          pending(e);
        } else if (status != SagaStatus.COMPLETED) {
          afterCancellation(e);
        }
      }
      if (status == SagaStatus.PENDING) {
        end(SagaStatus.TIMED_OUT, deadline); // the final watermark passes every deadline
      }
    }

    void pending(OrderEvent e) {
      Instant t = e.eventTime();
      switch (e.type()) {
        case PAYMENT_AUTHORIZED, INVENTORY_RESERVED -> {
          if (e.type() == OrderEventType.PAYMENT_AUTHORIZED) {
            payment = PaymentStatus.AUTHORIZED;
          } else {
            inventory = InventoryStatus.RESERVED;
          }
          if (payment == PaymentStatus.AUTHORIZED && inventory == InventoryStatus.RESERVED) {
            status = SagaStatus.COMPLETED;
            emitCommand(OrderCommandType.SHIP_ORDER, t);
          }
          emitState(t);
        }
        case PAYMENT_DECLINED -> {
          payment = payment == PaymentStatus.PENDING ? PaymentStatus.DECLINED : payment;
          end(SagaStatus.CANCELLED, t);
        }
        case INVENTORY_REJECTED -> {
          inventory = inventory == InventoryStatus.PENDING ? InventoryStatus.REJECTED : inventory;
          end(SagaStatus.CANCELLED, t);
        }
        default -> throw new IllegalStateException("placed twice: " + e);
      }
    }

    void end(SagaStatus how, Instant t) {
      status = how;
      emitCommand(OrderCommandType.CANCEL_ORDER, t);
      if (payment == PaymentStatus.AUTHORIZED) {
        payment = PaymentStatus.REFUNDED;
        emitCommand(OrderCommandType.REFUND_PAYMENT, t);
      }
      if (inventory == InventoryStatus.RESERVED) {
        inventory = InventoryStatus.RELEASED;
        emitCommand(OrderCommandType.RELEASE_INVENTORY, t);
      }
      emitState(t);
    }

    void afterCancellation(OrderEvent e) {
      if (e.type() == OrderEventType.PAYMENT_AUTHORIZED) {
        payment = PaymentStatus.REFUNDED;
        emitCommand(OrderCommandType.REFUND_PAYMENT, e.eventTime());
        emitState(e.eventTime());
      } else if (e.type() == OrderEventType.INVENTORY_RESERVED) {
        inventory = InventoryStatus.RELEASED;
        emitCommand(OrderCommandType.RELEASE_INVENTORY, e.eventTime());
        emitState(e.eventTime());
      }
    }

    void emitState(Instant t) {
      states
          .computeIfAbsent(orderId, o -> new ArrayList<>())
          .add(new SagaState(orderId, status, payment, inventory, t));
    }

    void emitCommand(OrderCommandType type, Instant t) {
      commands.add(new OrderCommand(orderId + "/" + type.wire(), orderId, type, t));
    }
  }
}
