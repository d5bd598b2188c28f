package com.acme.shop.model;

import static com.acme.shop.model.Require.present;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Debezium's change envelope for one row of a table. A create or snapshot read has only {@code
 * after}; a delete has only {@code before} (the whole old row, as the tables use {@code REPLICA
 * IDENTITY FULL}); an update has both. The tombstone Debezium sends after a delete has no envelope
 * at all and never becomes a {@code Change}.
 */
public record Change<T>(
    ChangeOp op, T before, T after, ChangeSource source, @JsonProperty("ts_ms") Long tsMs) {
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
  }

  /** The row as it stands after this change, or {@code null} once it is deleted. */
  public T current() {
    return op == ChangeOp.DELETE ? null : after;
  }
}
