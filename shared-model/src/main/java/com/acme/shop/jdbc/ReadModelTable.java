package com.acme.shop.jdbc;

import com.acme.shop.flink.Upsert;
import com.acme.shop.model.WireEnum;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One read-model table of {@code read-models.sql}: its primary key, taken from {@link Upsert#key},
 * and its other columns, each taken from the row. It writes an upsert as one statement that inserts
 * or updates the row, or deletes it for a tombstone, so a replay or a restart leaves the same rows;
 * and it says beforehand whether a row fits its columns at all.
 */
public final class ReadModelTable<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The column types the tables use; {@code cast} is what a statement parameter is cast to. */
  public enum SqlType {
    TEXT("text", Types.VARCHAR),
    BIGINT("bigint", Types.BIGINT),
    INTEGER("integer", Types.INTEGER),
    /** {@code numeric(12,2)}: money. */
    MONEY("numeric", Types.NUMERIC),
    TIMESTAMPTZ("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE);

    final String cast;
    final int jdbcType;

    SqlType(String cast, int jdbcType) {
      this.cast = cast;
      this.jdbcType = jdbcType;
    }
  }

  /** What a column holds of a row; enums give their wire form. */
  @FunctionalInterface
  public interface Getter<T> extends Serializable {
    Object of(T row);
  }

  record Column<T>(String name, SqlType type, boolean required, Getter<T> getter)
      implements Serializable {}

  /** The largest magnitude {@code numeric(12,2)} holds, exclusive. */
  private static final BigDecimal MONEY_LIMIT = new BigDecimal("10000000000");

  // PostgreSQL's timestamptz range: 4713 BC to 294276 AD.
  private static final Instant EARLIEST = Instant.parse("-4712-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("+294275-12-31T23:59:59Z");

  private final String name;
  private final String keyColumn;
  private final SqlType keyType;
  private final List<Column<T>> columns;

  private ReadModelTable(String name, String keyColumn, SqlType keyType, List<Column<T>> columns) {
    this.name = name;
    this.keyColumn = keyColumn;
    this.keyType = keyType;
    this.columns = List.copyOf(columns);
  }

  /** A table {@code name} (in {@code read_models}) whose primary key is {@code keyColumn}. */
  public static <T> Builder<T> named(String name, String keyColumn, SqlType keyType) {
    return new Builder<>(name, keyColumn, keyType);
  }

  /** The columns of a table, in the order of its statement. */
  public static final class Builder<T> {
    private final String name;
    private final String keyColumn;
    private final SqlType keyType;
    private final List<Column<T>> columns = new ArrayList<>();

    private Builder(String name, String keyColumn, SqlType keyType) {
      this.name = ReadModelDatabase.checkedTableName(name);
      this.keyColumn = ReadModelDatabase.checkedTableName(keyColumn);
      this.keyType = keyType;
    }

    /** A column that may be null. */
    public Builder<T> column(String column, SqlType type, Getter<T> getter) {
      columns.add(new Column<>(ReadModelDatabase.checkedTableName(column), type, false, getter));
      return this;
    }

    /** A {@code NOT NULL} column. */
    public Builder<T> required(String column, SqlType type, Getter<T> getter) {
      columns.add(new Column<>(ReadModelDatabase.checkedTableName(column), type, true, getter));
      return this;
    }

    public ReadModelTable<T> build() {
      return new ReadModelTable<>(name, keyColumn, keyType, columns);
    }
  }

  public String name() {
    return name;
  }

  /**
   * Upsert or delete in one statement, into {@code read_models.<table>} ({@code table} is this
   * table or a copy of it). Parameters: tombstone, key, key, the columns, tombstone. A
   * data-modifying WITH runs whether or not the INSERT reads it.
   */
  String statement(String table) {
    String qualified = ReadModelDatabase.SCHEMA + "." + ReadModelDatabase.checkedTableName(table);
    String names =
        columns.stream().map(Column::name).collect(Collectors.joining(", ", keyColumn + ", ", ""));
    String values =
        columns.stream()
            .map(c -> "?::" + c.type().cast)
            .collect(Collectors.joining(", ", "?::" + keyType.cast + ", ", ""));
    String updates =
        columns.stream()
            .map(c -> c.name() + " = EXCLUDED." + c.name())
            .collect(Collectors.joining(", "));
    return "WITH deleted AS (DELETE FROM "
        + qualified
        + " WHERE ?::boolean AND "
        + keyColumn
        + " = ?::"
        + keyType.cast
        + ") INSERT INTO "
        + qualified
        + " ("
        + names
        + ") SELECT "
        + values
        + " WHERE NOT ?::boolean ON CONFLICT ("
        + keyColumn
        + ") DO UPDATE SET "
        + updates;
  }

  /** Sets the parameters of {@link #statement} for one upsert. */
  void bind(PreparedStatement statement, Upsert<T> upsert) throws SQLException {
    boolean tombstone = upsert.value() == null;
    Object key = keyValue(upsert.key());
    int i = 1;
    statement.setBoolean(i++, tombstone);
    set(statement, i++, keyType, key);
    set(statement, i++, keyType, key);
    for (Column<T> column : columns) {
      set(statement, i++, column.type(), tombstone ? null : value(column, upsert.value()));
    }
    statement.setBoolean(i, tombstone);
  }

  /**
   * Why the table cannot hold {@code upsert}, or null if it can: a key that is not a number for a
   * number key, a null in a {@code NOT NULL} column, money beyond {@code numeric(12,2)} or with
   * more than two decimals, a time outside PostgreSQL's range, text with a NUL character.
   */
  String violation(Upsert<T> upsert) {
    try {
      keyValue(upsert.key());
    } catch (IllegalArgumentException e) {
      return "key '" + upsert.key() + "' is not a " + keyType.cast;
    }
    if (upsert.value() == null) {
      return null;
    }
    for (Column<T> column : columns) {
      Object value = value(column, upsert.value());
      String problem = problem(column, value);
      if (problem != null) {
        return "column " + column.name() + ": " + problem;
      }
    }
    return null;
  }

  private static String problem(Column<?> column, Object value) {
    if (value == null) {
      return column.required() ? "null in a NOT NULL column" : null;
    }
    switch (column.type()) {
      case MONEY -> {
        BigDecimal money = (BigDecimal) value;
        if (money.abs().compareTo(MONEY_LIMIT) >= 0) {
          return money.toPlainString() + " does not fit numeric(12,2)";
        }
        try {
          money.setScale(2, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
          return money.toPlainString() + " has more than 2 decimals";
        }
      }
      case TIMESTAMPTZ -> {
        Instant time = (Instant) value;
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
          return time + " is outside PostgreSQL's timestamptz range";
        }
      }
      case TEXT -> {
        if (((String) value).indexOf('\u0000') >= 0) {
          return "text with a NUL character";
        }
      }
      default -> {}
    }
    return null;
  }

  private Object keyValue(String key) {
    return switch (keyType) {
      case BIGINT -> Long.parseLong(key);
      case INTEGER -> Integer.parseInt(key);
      case TEXT -> {
        if (key == null || key.indexOf('\u0000') >= 0) {
          throw new IllegalArgumentException("bad text key");
        }
        yield key;
      }
      default -> throw new IllegalStateException("unsupported key type " + keyType);
    };
  }

  private static <T> Object value(Column<T> column, T row) {
    Object value = column.getter().of(row);
    return value instanceof WireEnum e ? e.wire() : value;
  }

  private static void set(PreparedStatement statement, int index, SqlType type, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, type.jdbcType);
      return;
    }
    switch (type) {
      case TEXT -> statement.setString(index, (String) value);
      case BIGINT -> statement.setLong(index, ((Number) value).longValue());
      case INTEGER -> statement.setInt(index, ((Number) value).intValue());
      case MONEY -> statement.setBigDecimal(index, (BigDecimal) value);
      case TIMESTAMPTZ ->
          statement.setObject(index, OffsetDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
    }
  }
}
