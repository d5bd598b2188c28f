package com.acme.shop.json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/**
 * Event times read by {@link Json} against the ISO formatter it used before, on the same values. In
 * the json package because {@link Json#parseInstant} is package-private.
 */
public final class InstantReading {
  private InstantReading() {}

  /** Nanoseconds per value, best of {@code rounds}: the formatter's first, then Json's. */
  public static double[] compare(List<String> times, int rounds) {
    Function<String, Instant> formatter =
        text -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    Function<String, Instant> json = Json::parseInstant;
    double bestFormatter = Double.MAX_VALUE;
    double bestJson = Double.MAX_VALUE;
    for (int round = 0; round < rounds; round++) {
      bestFormatter = Math.min(bestFormatter, nanosPerValue(times, formatter));
      bestJson = Math.min(bestJson, nanosPerValue(times, json));
    }
    return new double[] {bestFormatter, bestJson};
  }

  private static double nanosPerValue(List<String> times, Function<String, Instant> read) {
    long start = System.nanoTime();
    long checksum = 0;
    for (String time : times) {
      checksum += read.apply(time).getNano();
    }
    long elapsed = System.nanoTime() - start;
    if (checksum == 42) {
      System.out.print(""); // keeps the JIT from dropping the loop
    }
    return (double) elapsed / times.size();
  }
}
