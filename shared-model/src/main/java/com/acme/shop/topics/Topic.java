package com.acme.shop.topics;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A topic as a job knows it, declared once in {@link Topics}: a short logical name, which is what
 * {@code --topic.<name>} overrides and what operator uids derive from; the contract's topic name,
 * used by default; the type of its values; and what its records are keyed by. Sources, sinks and
 * outputs take a {@code Topic<T>}, so a stream can only be wired to a topic of its own type.
 */
public final class Topic<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Picks the Kafka key of a value: its entity id as text. */
  @FunctionalInterface
  public interface KeyOf<T> extends Serializable {
    String key(T value);
  }

  private final String name;
  private final String defaultName;
  private final TypeInformation<T> type;
  private final KeyOf<T> keyOf;

  private Topic(String name, String defaultName, TypeInformation<T> type, KeyOf<T> keyOf) {
    this.name = Objects.requireNonNull(name, "name");
    this.defaultName = Objects.requireNonNull(defaultName, "defaultName");
    this.type = Objects.requireNonNull(type, "type");
    this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
  }

  public static <T> Topic<T> of(String name, String defaultName, Class<T> type, KeyOf<T> keyOf) {
    return new Topic<>(name, defaultName, TypeInformation.of(type), keyOf);
  }

  /** For generic value types, such as {@code Change<OrderRow>}. */
  public static <T> Topic<T> of(String name, String defaultName, TypeHint<T> type, KeyOf<T> keyOf) {
    return new Topic<>(name, defaultName, TypeInformation.of(type), keyOf);
  }

  /** The logical name: {@code --topic.<name>} overrides it, operator uids derive from it. */
  public String name() {
    return name;
  }

  /** The contract's topic name, used unless {@code --topic.<name>} says otherwise. */
  public String defaultName() {
    return defaultName;
  }

  public TypeInformation<T> type() {
    return type;
  }

  public KeyOf<T> keyOf() {
    return keyOf;
  }

  /** Two declarations of one topic are equal; the key function, a lambda, is not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Topic<?> other
        && name.equals(other.name)
        && defaultName.equals(other.defaultName)
        && type.equals(other.type);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, defaultName, type);
  }

  @Override
  public String toString() {
    return name + " (" + defaultName + ")";
  }
}
