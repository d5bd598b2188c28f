package com.acme.shop.params;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a job starts reading: {@code earliest}, {@code latest}, {@code committed} or an instant.
 */
public record StartingOffsets(Kind kind, Instant instant) implements Serializable {
  public enum Kind {
    EARLIEST,
    LATEST,
    COMMITTED,
    TIMESTAMP
  }

  public static StartingOffsets parse(String text) {
    return switch (text) {
      case "earliest" -> new StartingOffsets(Kind.EARLIEST, null);
      case "latest" -> new StartingOffsets(Kind.LATEST, null);
      case "committed" -> new StartingOffsets(Kind.COMMITTED, null);
      default -> {
        try {
          yield new StartingOffsets(Kind.TIMESTAMP, Instant.parse(text));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "expected earliest, latest, committed or an ISO-8601 instant");
        }
      }
    };
  }

  public OffsetsInitializer initializer() {
    return switch (kind) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      // A group that never committed starts from the beginning rather than failing.
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      case TIMESTAMP -> OffsetsInitializer.timestamp(instant.toEpochMilli());
    };
  }

  @Override
  public String toString() {
    return kind == Kind.TIMESTAMP ? instant.toString() : kind.name().toLowerCase();
  }
}
