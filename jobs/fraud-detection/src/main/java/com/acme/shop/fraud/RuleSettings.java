package com.acme.shop.fraud;

import com.acme.shop.params.JobParameters;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The thresholds of all four rules, checked together once; the functions get this instead of the
 * parameters.
 */
record RuleSettings(
    BigDecimal smallBelow,
    BigDecimal largeFrom,
    int minSmall,
    Duration cardTestingWithin,
    Duration velocityWindow,
    Duration velocitySlide,
    int velocityMaxTransactions,
    Duration travelMaxGap,
    int takeoverMinFailures,
    Duration takeoverWithin,
    int maxAlertEventIds)
    implements Serializable {

  RuleSettings {
    if (smallBelow.signum() <= 0 || largeFrom.compareTo(smallBelow) < 0) {
      throw new IllegalArgumentException(
          "--card-testing-small-below must be positive and at most --card-testing-large-from");
    }
    requireAtLeast(minSmall, 1, FraudParams.CARD_TESTING_MIN_SMALL.name());
    requirePositive(cardTestingWithin, FraudParams.CARD_TESTING_WITHIN.name());
    requirePositive(velocitySlide, FraudParams.VELOCITY_SLIDE.name());
    requirePositive(velocityWindow, FraudParams.VELOCITY_WINDOW.name());
    if (velocityWindow.toMillis() % velocitySlide.toMillis() != 0) {
      throw new IllegalArgumentException(
          "--velocity-slide " + velocitySlide + " must divide --velocity-window " + velocityWindow);
    }
    requireAtLeast(velocityMaxTransactions, 0, FraudParams.VELOCITY_MAX_TRANSACTIONS.name());
    requirePositive(travelMaxGap, FraudParams.TRAVEL_MAX_GAP.name());
    requireAtLeast(takeoverMinFailures, 1, FraudParams.TAKEOVER_MIN_FAILURES.name());
    requirePositive(takeoverWithin, FraudParams.TAKEOVER_WITHIN.name());
    // A pattern's shortest match must fit.
    requireAtLeast(
        maxAlertEventIds,
        Math.max(2, Math.max(minSmall, takeoverMinFailures) + 1),
        FraudParams.MAX_ALERT_EVENT_IDS.name());
  }

  /** The contract's numbers. */
  static RuleSettings defaults() {
    return from(JobParameters.of(FraudDetectionJob.JOB, FraudParams.ALL, FraudDetectionJob.TOPICS));
  }

  static RuleSettings from(JobParameters params) {
    return new RuleSettings(
        params.get(FraudParams.CARD_TESTING_SMALL_BELOW),
        params.get(FraudParams.CARD_TESTING_LARGE_FROM),
        params.get(FraudParams.CARD_TESTING_MIN_SMALL),
        params.get(FraudParams.CARD_TESTING_WITHIN),
        params.get(FraudParams.VELOCITY_WINDOW),
        params.get(FraudParams.VELOCITY_SLIDE),
        params.get(FraudParams.VELOCITY_MAX_TRANSACTIONS),
        params.get(FraudParams.TRAVEL_MAX_GAP),
        params.get(FraudParams.TAKEOVER_MIN_FAILURES),
        params.get(FraudParams.TAKEOVER_WITHIN),
        params.get(FraudParams.MAX_ALERT_EVENT_IDS));
  }

  private static void requirePositive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--" + name + " must be positive");
    }
  }

  private static void requireAtLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException("--" + name + " must be at least " + min);
    }
  }
}
