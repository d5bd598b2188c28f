package com.acme.shop.cdc;

import com.acme.shop.model.Change;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The current row of each key of one table, and the source position (LSN) of the last change
 * applied to it. The dedup rule: a change at or below that LSN is skipped, so Debezium's redelivery
 * after a Connect restart and a re-snapshot of rows the job already holds change nothing. Changes
 * of one row reach the job in LSN order (one Kafka partition per key), so a lower LSN is always a
 * copy of something applied. A change that leaves the row as it was (a re-snapshot at a new LSN) is
 * applied but emits nothing.
 *
 * <p>Every {@link RowChange} it emits has the row the job held as {@code before}, never Debezium's
 * {@code before}: downstream retractions are exact even when a change was skipped or redelivered.
 *
 * <p>State: the row while it exists, no TTL (read models need it for as long as the row lives).
 * After a delete only the LSN stays, so a redelivered older insert cannot bring the row back; an
 * event-time timer clears it {@code deletedRetention} after the delete's commit time.
 */
final class CurrentRows<R> extends KeyedProcessFunction<Long, Change<R>, RowChange<R>> {
  /** The primary key of a row. */
  @FunctionalInterface
  interface IdOf<R> extends Serializable {
    Long id(R row);
  }

  private final TypeInformation<R> rowType;
  private final long deletedRetentionMs;
  private transient ValueState<R> row;
  private transient ValueState<Long> lastLsn;
  private transient Counter redelivered;
  private transient Counter unchanged;

  CurrentRows(TypeInformation<R> rowType, Duration deletedRetention) {
    this.rowType = rowType;
    this.deletedRetentionMs = deletedRetention.toMillis();
  }

  /**
   * {@code changes} of {@code table}, keyed by primary key, as row changes from the job's state.
   */
  static <R> SingleOutputStreamOperator<RowChange<R>> apply(
      DataStream<Change<R>> changes, Tables.Table<R> table, Duration deletedRetention) {
    IdOf<R> idOf = table.idOf();
    return changes
        .keyBy(c -> idOf.id(c.after() != null ? c.after() : c.before()), Types.LONG)
        .process(new CurrentRows<>(table.rowType(), deletedRetention), table.changeType())
        .uid(table.name() + "-current")
        .name(table.name() + ": current rows, redelivered changes skipped by LSN");
  }

  @Override
  public void open(OpenContext openContext) {
    row = getRuntimeContext().getState(new ValueStateDescriptor<>("row", rowType));
    lastLsn = getRuntimeContext().getState(new ValueStateDescriptor<>("last-lsn", Types.LONG));
    redelivered = getRuntimeContext().getMetricGroup().counter("changesAtOrBelowLastLsn");
    unchanged = getRuntimeContext().getMetricGroup().counter("changesWithoutEffect");
  }

  @Override
  public void processElement(Change<R> change, Context ctx, Collector<RowChange<R>> out)
      throws Exception {
    long lsn = change.source().lsn();
    Long last = lastLsn.value();
    if (last != null && lsn <= last) {
      redelivered.inc();
      return;
    }
    lastLsn.update(lsn);
    R before = row.value();
    R after = change.current();
    if (after == null) {
      row.clear();
      ctx.timerService()
          .registerEventTimeTimer(change.eventTime().toEpochMilli() + deletedRetentionMs);
    } else {
      row.update(after);
    }
    if (Objects.equals(before, after)) {
      unchanged.inc();
      return;
    }
    out.collect(new RowChange<>(ctx.getCurrentKey(), before, after));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RowChange<R>> out)
      throws Exception {
    if (row.value() == null) {
      lastLsn.clear(); // still deleted: forget it
    }
  }
}
