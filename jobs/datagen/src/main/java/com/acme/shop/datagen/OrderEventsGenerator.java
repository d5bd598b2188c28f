package com.acme.shop.datagen;

import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code orders.events}: order sagas. An order is placed, then payment and inventory answer in
 * either order; most succeed, some are declined or rejected. With probability fraudShare an order
 * misbehaves: one answer never comes (the saga times out), or a success arrives after a failure has
 * already cancelled the order (the saga must compensate).
 */
public final class OrderEventsGenerator extends TopicGenerator {
  static final int BLOCK = 64;
  static final int CUSTOMERS = 2_000;

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
    if (Pick.chance(settings().fraudShare(), random)) {
      if (Pick.chance(0.5, random)) {
        answers.remove(random.nextInt(answers.size())); // never answered: times out
      } else {
        answers =
            new ArrayList<>(
                List.of(OrderEventType.INVENTORY_REJECTED, OrderEventType.PAYMENT_AUTHORIZED));
      }
    }
    Journey j =
        new Journey().add(event(block, n, order, OrderEventType.ORDER_PLACED, customer, amount));
    answers.forEach(type -> j.add(event(block, n, order, type, customer, amount)));
    return j;
  }

  private static Journey.Step event(
      long block, int[] n, String order, OrderEventType type, String customer, BigDecimal amount) {
    String eventId = Pick.id("oe", block, n[0]++);
    return t ->
        new Journey.Generated(order, new OrderEvent(eventId, order, type, customer, amount, t));
  }

  @Override
  protected String corrupt(ObjectNode valid, SplittableRandom random) {
    if (random.nextInt(5) == 0) {
      return valid.put("amount", "lots").toString();
    }
    return common(valid, random, "orderId");
  }
}
