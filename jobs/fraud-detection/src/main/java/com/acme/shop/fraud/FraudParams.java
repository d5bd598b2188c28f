package com.acme.shop.fraud;

import com.acme.shop.params.Param;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** The rules' thresholds as options, with the contract's numbers as defaults. */
final class FraudParams {
  private FraudParams() {}

  static final Param<BigDecimal> CARD_TESTING_SMALL_BELOW =
      Param.of(
          "card-testing-small-below",
          new BigDecimal("5.00"),
          BigDecimal::new,
          "CARD_TESTING: a transaction under this amount is a small one");
  static final Param<BigDecimal> CARD_TESTING_LARGE_FROM =
      Param.of(
          "card-testing-large-from",
          new BigDecimal("500.00"),
          BigDecimal::new,
          "CARD_TESTING: a transaction of this amount or more is a large one");
  static final Param<Integer> CARD_TESTING_MIN_SMALL =
      Param.integer(
          "card-testing-min-small",
          3,
          "CARD_TESTING: small transactions needed before a large one");
  static final Param<Duration> CARD_TESTING_WITHIN =
      Param.duration(
          "card-testing-within",
          Duration.ofMinutes(10),
          "CARD_TESTING: the small transactions must be less than this before the large one");

  static final Param<Duration> VELOCITY_WINDOW =
      Param.duration("velocity-window", Duration.ofSeconds(60), "VELOCITY: sliding window size");
  static final Param<Duration> VELOCITY_SLIDE =
      Param.duration(
          "velocity-slide",
          Duration.ofSeconds(10),
          "VELOCITY: how often the window slides; must divide the window size");
  static final Param<Integer> VELOCITY_MAX_TRANSACTIONS =
      Param.integer(
          "velocity-max-transactions",
          10,
          "VELOCITY: a card with more transactions than this in one window alerts");

  static final Param<Duration> TRAVEL_MAX_GAP =
      Param.duration(
          "travel-max-gap",
          Duration.ofMinutes(60),
          "IMPOSSIBLE_TRAVEL: approved transactions from two countries less than this apart alert");

  static final Param<Integer> TAKEOVER_MIN_FAILURES =
      Param.integer(
          "takeover-min-failures",
          5,
          "ACCOUNT_TAKEOVER: consecutive failed logins needed before a successful one");
  static final Param<Duration> TAKEOVER_WITHIN =
      Param.duration(
          "takeover-within",
          Duration.ofMinutes(10),
          "ACCOUNT_TAKEOVER: the failed logins must be less than this before the success");

  static final Param<Integer> MAX_ALERT_EVENT_IDS =
      Param.integer(
          "max-alert-event-ids",
          100,
          "an alert lists at most this many event ids: CARD_TESTING and ACCOUNT_TAKEOVER the latest"
              + " ones before the triggering one, VELOCITY the first ones and the last");

  static final List<Param<?>> ALL =
      List.of(
          CARD_TESTING_SMALL_BELOW,
          CARD_TESTING_LARGE_FROM,
          CARD_TESTING_MIN_SMALL,
          CARD_TESTING_WITHIN,
          VELOCITY_WINDOW,
          VELOCITY_SLIDE,
          VELOCITY_MAX_TRANSACTIONS,
          TRAVEL_MAX_GAP,
          TAKEOVER_MIN_FAILURES,
          TAKEOVER_WITHIN,
          MAX_ALERT_EVENT_IDS);
}
