package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.activity.Harnesses.endOfInput;
import static com.acme.shop.activity.Harnesses.feed;
import static com.acme.shop.activity.Harnesses.watermark;
import static com.acme.shop.model.ClickType.ADD_TO_CART;
import static com.acme.shop.model.ClickType.CHECKOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.activity.CartAbandonments.DetectAbandonedCarts;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.ClickEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The abandonment operator's state survives a snapshot and restore: pending carts, remembered
 * checkouts and their timers come back, and every cart is decided as without the restart.
 */
class CartAbandonmentsRestoreTest {
  static final Duration ALLOWED_LATENESS = Duration.ofMinutes(5);

  /** A harness for the operator as the job builds it; opened unless it is to restore state. */
  static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, CartAbandonment> harness(
      OperatorSubtaskState restoreFrom) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, CartAbandonment> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new DetectAbandonedCarts(
                    CartAbandonments.TIMEOUT, ALLOWED_LATENESS, Harnesses.LATE_CLICKS.tag())),
            ClickEvent::userId,
            Types.STRING);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }

  static void beforeRestart(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ?> h)
      throws Exception {
    feed(h, click("a1", "u1", ADD_TO_CART, "09:00:00")); // never checked out
    feed(h, click("a2", "u2", ADD_TO_CART, "09:05:00")); // checked out after the restart
    feed(h, click("c3", "u3", CHECKOUT, "09:04:00")); // remembered for an add still to come
    watermark(h, "09:06:00");
  }

  static void afterRestart(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ?> h)
      throws Exception {
    // Out of order, within the allowed lateness: rescued by the checkout remembered before.
    feed(h, click("a3", "u3", ADD_TO_CART, "09:03:00"));
    feed(h, click("c2", "u2", CHECKOUT, "09:20:00"));
    endOfInput(h);
  }

  @Test
  void pendingCartsSurviveARestoreAndAreDecidedAsWithoutIt() throws Exception {
    List<CartAbandonment> uninterrupted;
    try (var h = harness(null)) {
      beforeRestart(h);
      afterRestart(h);
      uninterrupted = h.extractOutputValues();
    }

    List<CartAbandonment> restarted = new ArrayList<>();
    OperatorSubtaskState snapshot;
    int stateEntries;
    int timers;
    try (var h = harness(null)) {
      beforeRestart(h);
      restarted.addAll(h.extractOutputValues());
      stateEntries = h.numKeyedStateEntries();
      timers = h.numEventTimeTimers();
      snapshot = h.snapshot(1L, 0L);
    }
    assertThat(stateEntries).as("u1's and u2's carts, u3's checkout").isEqualTo(3);
    try (var h = harness(snapshot)) {
      assertThat(h.numKeyedStateEntries()).isEqualTo(stateEntries);
      assertThat(h.numEventTimeTimers()).isEqualTo(timers);
      afterRestart(h);
      restarted.addAll(h.extractOutputValues());
      assertThat(h.numKeyedStateEntries()).isZero();
    }

    assertThat(uninterrupted)
        .containsExactly(new CartAbandonment("u1", "p-a1", "a1", at("09:00:00")));
    assertThat(restarted).isEqualTo(uninterrupted);
  }
}
