package com.acme.shop.model;

import static com.acme.shop.model.Require.present;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Debezium's change envelope for one row of a table. A create or snapshot read has only {@code
 * after}; a delete has only {@code before} (the whole old row, as the tables use {@code REPLICA
 * IDENTITY FULL}); an update has both. The tombstone Debezium sends after a delete has no envelope
 * at all and never becomes a {@code Change}.
 *
 * <p>A change is read through {@code flink.Input} like a domain event, so it has an event time: see
 * {@link #eventTime()}. An envelope without any time breaks the schema.
 */
public record Change<T>(
    ChangeOp op, T before, T after, ChangeSource source, @JsonProperty("ts_ms") Long tsMs)
    implements EventTimed {
  public Change {
    present(op, "op");
    switch (op) {
      case READ, CREATE -> present(after, "after");
      case UPDATE -> {
        present(before, "before");
        present(after, "after");
      }
      case DELETE -> present(before, "before");
    }
    present(eventTimeMs(source, tsMs), "source.ts_ms");
  }

  /** The row as it stands after this change, or {@code null} once it is deleted. */
  public T current() {
    return op == ChangeOp.DELETE ? null : after;
  }

  /**
   * When the change happened in the database: {@code source.ts_ms}, the commit time of its
   * transaction (for a snapshot read, the time the snapshot read the row). The envelope's own
   * {@code ts_ms}, when Debezium processed the change, is only the fallback for an envelope without
   * a source block: it includes the connector's lag, so after a connector outage every change would
   * look as if it happened at once, and windows, joins and timeouts downstream would follow
   * Debezium's schedule instead of the shop's. Commit times are also in commit order within a
   * table's partition, which bounded out-of-orderness needs.
   */
  @Override
  @JsonIgnore
  public Instant eventTime() {
    return Instant.ofEpochMilli(eventTimeMs(source, tsMs));
  }

  private static Long eventTimeMs(ChangeSource source, Long tsMs) {
    return source != null && source.tsMs() != null ? source.tsMs() : tsMs;
  }
}
