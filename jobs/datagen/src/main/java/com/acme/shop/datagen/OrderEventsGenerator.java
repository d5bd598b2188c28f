package com.acme.shop.datagen;

import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code orders.events}: order sagas. An order is placed, then payment and inventory answer in
 * either order; most succeed, some are declined or rejected. With probability fraudShare an order
 * takes one of the saga's harder paths instead:
 *
 * <ul>
 *   <li>one answer never comes: the saga times out;
 *   <li>a success arrives after a rejection has cancelled the order: it must be compensated;
 *   <li>an answer is delivered twice (the same eventId): the second changes nothing;
 *   <li>the answers come more than 15 minutes after the placement: the saga times out, then
 *       compensates the successes. The placement's event time is 16 minutes before its slot, and
 *       its order id starts with {@link #SLOW_ORDER_PREFIX};
 *   <li>an answer arrives before its order's placement: it waits for it;
 *   <li>an answer for an order that is never placed: it goes to the dead-letter topic.
 * </ul>
 */
public final class OrderEventsGenerator extends TopicGenerator {
  static final int BLOCK = 64;
  static final int CUSTOMERS = 2_000;

  /** Orders answered only after their deadline; their placement is moved back in event time. */
  public static final String SLOW_ORDER_PREFIX = "slow-";

  /** How far a slow order's placement lies before its slot: more than the saga's 15 minutes. */
  static final Duration SLOW_BY = Duration.ofMinutes(16);

  public OrderEventsGenerator(String topic, GeneratorSettings settings) {
    super(topic, settings, BLOCK);
  }

  @Override
  protected List<Journey> journeys(long block, SplittableRandom random) {
    int[] orders = {0};
    int[] n = {0};
    return fill(BLOCK, List.of(), () -> order(block, orders[0]++, n, random));
  }

  private Journey order(long block, int o, int[] n, SplittableRandom random) {
    String order = Pick.id("ord", block, o);
    String customer = "c" + random.nextInt(CUSTOMERS);
    BigDecimal amount = Pick.amount(8, 400, random);
    List<OrderEventType> answers = new ArrayList<>();
    answers.add(
        Pick.chance(0.08, random)
            ? OrderEventType.PAYMENT_DECLINED
            : OrderEventType.PAYMENT_AUTHORIZED);
    answers.add(
        Pick.chance(0.05, random)
            ? OrderEventType.INVENTORY_REJECTED
            : OrderEventType.INVENTORY_RESERVED);
    if (Pick.chance(0.5, random)) {
      Collections.reverse(answers);
    }
    Order planted = new Order(block, n, order, customer, amount);
    if (!Pick.chance(settings().fraudShare(), random)) {
      return planted.placed(Duration.ZERO).answers(answers).journey;
    }
    return switch (random.nextInt(6)) {
      case 0 -> { // never answered: times out
        answers.remove(random.nextInt(answers.size()));
        yield planted.placed(Duration.ZERO).answers(answers).journey;
      }
      case 1 ->
          planted
              .placed(Duration.ZERO)
              .answers(
                  List.of(OrderEventType.INVENTORY_REJECTED, OrderEventType.PAYMENT_AUTHORIZED))
              .journey;
      case 2 -> planted.placed(Duration.ZERO).answers(answers).deliveredAgain().journey;
      case 3 ->
          new Order(block, n, SLOW_ORDER_PREFIX + order, customer, amount)
              .placed(SLOW_BY)
              .answers(answers)
              .journey;
      case 4 ->
          planted
              .answers(answers.subList(0, 1))
              .placed(Duration.ZERO)
              .answers(answers.subList(1, 2))
              .journey;
      default ->
          planted.answers(List.of(OrderEventType.PAYMENT_AUTHORIZED)).journey; // never placed
    };
  }

  /** One order's journey, built step by step in the order its events are written. */
  private static final class Order {
    final Journey journey = new Journey();
    private final long block;
    private final int[] n;
    private final String order;
    private final String customer;
    private final BigDecimal amount;
    private final List<Map.Entry<String, OrderEventType>> written = new ArrayList<>();

    Order(long block, int[] n, String order, String customer, BigDecimal amount) {
      this.block = block;
      this.n = n;
      this.order = order;
      this.customer = customer;
      this.amount = amount;
    }

    /** The placement, {@code earlier} before its slot in event time. */
    Order placed(Duration earlier) {
      return add(Pick.id("oe", block, n[0]++), OrderEventType.ORDER_PLACED, earlier);
    }

    Order answers(List<OrderEventType> types) {
      for (OrderEventType type : types) {
        add(Pick.id("oe", block, n[0]++), type, Duration.ZERO);
      }
      return this;
    }

    /**
     * The last event once more, as a relay re-sends after a crash: the same eventId and fields, a
     * moment later.
     */
    Order deliveredAgain() {
      Map.Entry<String, OrderEventType> last = written.get(written.size() - 1);
      return add(last.getKey(), last.getValue(), Duration.ZERO);
    }

    private Order add(String eventId, OrderEventType type, Duration earlier) {
      written.add(Map.entry(eventId, type));
      journey.add(
          t ->
              new Journey.Generated(
                  order, new OrderEvent(eventId, order, type, customer, amount, t.minus(earlier))));
      return this;
    }
  }

  @Override
  protected String corrupt(ObjectNode valid, SplittableRandom random) {
    if (random.nextInt(5) == 0) {
      return valid.put("amount", "lots").toString();
    }
    return common(valid, random, "orderId");
  }
}
