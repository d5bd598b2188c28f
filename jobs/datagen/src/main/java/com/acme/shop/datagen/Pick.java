package com.acme.shop.datagen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;

/** Small helpers for drawing realistic values. */
final class Pick {
  private Pick() {}

  static <T> T one(List<T> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }

  static boolean chance(double p, SplittableRandom random) {
    return random.nextDouble() < p;
  }

  /**
   * An amount between {@code min} and {@code max}, skewed towards the low end like real baskets.
   */
  static BigDecimal amount(double min, double max, SplittableRandom random) {
    double u = random.nextDouble();
    double value = min + (max - min) * u * u;
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
  }

  static String id(String prefix, long block, int n) {
    return prefix + "-" + block + "-" + n;
  }
}
