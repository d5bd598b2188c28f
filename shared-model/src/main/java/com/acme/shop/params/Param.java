package com.acme.shop.params;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import org.apache.flink.util.TimeUtils;

/** One typed command-line option: {@code --name value}, with a default and a description. */
public final class Param<T> implements Serializable {
  /** A parser from text that may be shipped to the cluster with the parameters. */
  public interface Parser<T> extends Function<String, T>, Serializable {}

  private final String name;
  private final T defaultValue;
  private final Parser<T> parser;
  private final String description;

  private Param(String name, T defaultValue, Parser<T> parser, String description) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.description = description;
  }

  public static <T> Param<T> of(String name, T defaultValue, Parser<T> parser, String description) {
    return new Param<>(name, defaultValue, parser, description);
  }

  public static Param<String> string(String name, String defaultValue, String description) {
    return of(name, defaultValue, s -> s, description);
  }

  public static Param<Integer> integer(String name, Integer defaultValue, String description) {
    return of(name, defaultValue, Integer::valueOf, description);
  }

  public static Param<Long> longValue(String name, Long defaultValue, String description) {
    return of(name, defaultValue, Long::valueOf, description);
  }

  public static Param<Double> decimal(String name, Double defaultValue, String description) {
    return of(name, defaultValue, Double::valueOf, description);
  }

  public static Param<Boolean> bool(String name, Boolean defaultValue, String description) {
    return of(name, defaultValue, Param::parseBoolean, description);
  }

  /**
   * Durations as Flink writes them: {@code 5s}, {@code 500 ms}, {@code 30min}; bare numbers are ms.
   */
  public static Param<Duration> duration(String name, Duration defaultValue, String description) {
    return of(name, defaultValue, TimeUtils::parseDuration, description);
  }

  public static Param<Instant> instant(String name, Instant defaultValue, String description) {
    return of(name, defaultValue, Instant::parse, description);
  }

  private static Boolean parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  public String name() {
    return name;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  T parse(String text) {
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--" + name + " " + text + ": " + (e.getMessage() == null ? "invalid" : e.getMessage()),
          e);
    }
  }
}
