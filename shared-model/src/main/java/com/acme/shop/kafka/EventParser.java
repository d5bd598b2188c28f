package com.acme.shop.kafka;

import com.acme.shop.json.Json;
import com.acme.shop.model.Change;
import com.fasterxml.jackson.databind.JavaType;
import java.io.Serializable;

/**
 * Turns a record's value into an event. Throws to reject the record (it goes to the dead-letter
 * topic with the exception's message); returns {@code null} for a record to skip on purpose, such
 * as the tombstone Debezium sends after a delete.
 */
@FunctionalInterface
public interface EventParser<T> extends Serializable {
  T parse(byte[] value) throws Exception;

  /** A domain event in the contract's JSON form. */
  static <T> EventParser<T> json(Class<T> type) {
    return value -> Json.parse(value, type);
  }

  /** A Debezium change of one table's rows; tombstones are skipped. */
  static <R> EventParser<Change<R>> debezium(Class<R> rowType) {
    return new EventParser<>() {
      private transient JavaType changeType;

      @Override
      public Change<R> parse(byte[] value) {
        if (value == null) {
          return null;
        }
        if (changeType == null) {
          changeType =
              Json.mapper().getTypeFactory().constructParametricType(Change.class, rowType);
        }
        return Json.parse(value, changeType);
      }
    };
  }
}
