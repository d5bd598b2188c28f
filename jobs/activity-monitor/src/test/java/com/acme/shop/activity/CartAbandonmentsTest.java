package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.activity.Harnesses.endOfInput;
import static com.acme.shop.activity.Harnesses.feed;
import static com.acme.shop.activity.Harnesses.lateClickIds;
import static com.acme.shop.activity.Harnesses.watermark;
import static com.acme.shop.model.ClickType.ADD_TO_CART;
import static com.acme.shop.model.ClickType.CHECKOUT;
import static com.acme.shop.model.ClickType.PAGE_VIEW;
import static com.acme.shop.model.ClickType.PURCHASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.activity.CartAbandonments.DetectAbandonedCarts;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.ClickEvent;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The abandonment timeout, on the job's own keyed process function with event-time timers. */
class CartAbandonmentsTest {
  KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, CartAbandonment> harness;

  void start(Duration allowedLateness) throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DetectAbandonedCarts(
                CartAbandonments.TIMEOUT, allowedLateness, Harnesses.LATE_CLICKS.tag()),
            ClickEvent::userId,
            Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static ClickEvent add(String id, String user, String time) {
    return click(id, user, ADD_TO_CART, time);
  }

  static CartAbandonment abandoned(String id, String user, String time) {
    return new CartAbandonment(user, "p-" + id, id, at(time));
  }

  @Test
  void anAddWithoutCheckoutIsAbandonedWhenTheWatermarkReachesThirtyMinutesLater() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a1", "u1", "09:00:00"));
    feed(harness, click("v1", "u1", PAGE_VIEW, "09:01:00"));

    watermark(harness, "09:29:59.999");
    assertThat(harness.extractOutputValues()).isEmpty();

    watermark(harness, "09:30:00");
    assertThat(harness.extractOutputValues()).containsExactly(abandoned("a1", "u1", "09:00:00"));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aCheckoutTwentyNineMinutesLaterRescuesTheCart() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a1", "u1", "09:00:00"));
    feed(harness, click("c1", "u1", CHECKOUT, "09:29:00"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void aCheckoutThirtyOneMinutesLaterDoesNotRescueTheCart() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a1", "u1", "09:00:00"));
    // Read before the timer fires, yet too late in event time.
    feed(harness, click("c1", "u1", CHECKOUT, "09:31:00"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).containsExactly(abandoned("a1", "u1", "09:00:00"));
  }

  @Test
  void bothEndsOfTheThirtyMinutesAreInclusive() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a1", "u1", "09:00:00"));
    feed(harness, click("c1", "u1", CHECKOUT, "09:30:00"));
    // A checkout in the same millisecond, even when read first, follows the add.
    feed(harness, click("c2", "u2", PURCHASE, "09:00:00"));
    feed(harness, add("a2", "u2", "09:00:00"));
    feed(harness, add("a3", "u3", "09:00:00"));
    feed(harness, click("c3", "u3", CHECKOUT, "09:30:00.001"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).containsExactly(abandoned("a3", "u3", "09:00:00"));
  }

  @Test
  void oneCheckoutRescuesEveryCartOfTheUserUpToThirtyMinutesBeforeIt() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a0", "u1", "08:40:00"));
    feed(harness, add("a1", "u1", "09:00:00"));
    feed(harness, add("a2", "u1", "09:05:00"));
    feed(harness, add("a3", "u1", "09:10:00"));
    // Another user's checkout rescues nobody here.
    feed(harness, click("c9", "u2", CHECKOUT, "09:15:00"));
    feed(harness, add("b1", "u3", "09:12:00"));
    feed(harness, click("c1", "u1", CHECKOUT, "09:20:00"));
    // An add after the checkout needs a checkout of its own: a purchase will do.
    feed(harness, add("a4", "u1", "09:25:00"));
    feed(harness, click("p1", "u1", PURCHASE, "09:26:00"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues())
        .containsExactly(abandoned("a0", "u1", "08:40:00"), abandoned("b1", "u3", "09:12:00"));
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void aCheckoutReadBeforeAnEarlierAddWithinTheBoundStillRescuesIt() throws Exception {
    start(Duration.ZERO);
    watermark(harness, "08:30:00");
    feed(harness, click("c1", "u1", CHECKOUT, "09:10:00"));
    // Out of order, but ahead of the watermark: both are on time.
    feed(harness, add("a1", "u1", "09:05:00"));
    feed(harness, add("a0", "u1", "08:39:00"));
    feed(harness, add("a2", "u1", "09:11:00"));
    watermark(harness, "09:09:00");
    feed(harness, add("a3", "u1", "09:09:30"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues())
        .containsExactly(abandoned("a0", "u1", "08:39:00"), abandoned("a2", "u1", "09:11:00"));
  }

  @Test
  void aCheckoutIsForgottenOnceTheWatermarkPassesIt() throws Exception {
    start(Duration.ZERO);
    feed(harness, click("c1", "u1", CHECKOUT, "09:10:00"));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    watermark(harness, "09:09:59.999");
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    // Any add still to come is later than 09:10, so the checkout cannot rescue it.
    watermark(harness, "09:10:00");
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();

    feed(harness, add("a1", "u1", "09:10:00.001"));
    endOfInput(harness);
    assertThat(harness.extractOutputValues())
        .containsExactly(abandoned("a1", "u1", "09:10:00.001"));
  }

  @Test
  void withAllowedLatenessALateCheckoutStillRescuesAndTheTimeoutWaitsForIt() throws Exception {
    start(Duration.ofMinutes(2));
    feed(harness, add("a1", "u1", "09:00:00"));
    feed(harness, add("b1", "u2", "09:00:00"));
    watermark(harness, "09:30:00");
    // A minute behind the watermark, within the allowed two.
    feed(harness, click("c1", "u1", CHECKOUT, "09:29:00"));

    watermark(harness, "09:31:59.999");
    assertThat(harness.extractOutputValues()).isEmpty();
    watermark(harness, "09:32:00");
    assertThat(harness.extractOutputValues()).containsExactly(abandoned("b1", "u2", "09:00:00"));
    // Both adds are decided, and the checkout was forgotten at 09:31, lateness past its time.
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void withAllowedLatenessACheckoutIsRememberedForLateAdds() throws Exception {
    start(Duration.ofMinutes(2));
    feed(harness, click("c1", "u1", CHECKOUT, "09:10:00"));
    watermark(harness, "09:11:00");
    // Late by a minute, within the allowed two: the checkout follows it.
    feed(harness, add("a1", "u1", "09:09:30"));
    watermark(harness, "09:12:00");
    assertThat(harness.numKeyedStateEntries()).isZero();
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aRedeliveredAddIsAbandonedOnce() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a1", "u1", "09:00:00"));
    feed(harness, add("a1", "u1", "09:00:00"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).containsExactly(abandoned("a1", "u1", "09:00:00"));
  }

  @Test
  void aClickBehindTheWatermarkGoesToTheLateSideOutputInsteadOfBeingProcessed() throws Exception {
    start(Duration.ZERO);
    feed(harness, add("a1", "u1", "09:00:00"));
    watermark(harness, "09:20:00");
    // Would rescue a1, but at the watermark: late.
    feed(harness, click("c1", "u1", CHECKOUT, "09:20:00"));
    // Would be abandoned at once, its timeout long past: late, not a false abandonment.
    feed(harness, add("a2", "u2", "08:00:00"));
    feed(harness, click("c2", "u1", CHECKOUT, "09:20:00.001"));
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(lateClickIds(harness)).containsExactly("c1", "a2");
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void withAllowedLatenessOnlyClicksBehindItAreLate() throws Exception {
    start(Duration.ofMinutes(2));
    feed(harness, add("a1", "u1", "09:00:00"));
    watermark(harness, "09:20:00");
    feed(harness, click("c1", "u1", CHECKOUT, "09:18:00")); // two minutes behind: late
    feed(harness, click("c2", "u1", CHECKOUT, "09:18:00.001")); // rescues a1
    endOfInput(harness);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(lateClickIds(harness)).containsExactly("c1");
  }
}
