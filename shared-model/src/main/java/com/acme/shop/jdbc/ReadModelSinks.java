package com.acme.shop.jdbc;

import com.acme.shop.flink.Upsert;
import com.acme.shop.json.Json;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.params.JobParameters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Writes an upsert read model into its PostgreSQL table with Flink's JDBC sink, beside its Kafka
 * topic.
 *
 * <p>At least once, which is enough: every statement is an idempotent upsert or delete by key, and
 * one key's changes reach the table in order (one subtask per key), so a restart that replays from
 * the last checkpoint ends with the same rows. Statements are batched and flushed every 200 ms and
 * at every checkpoint, so a table trails its topic by well under a second.
 *
 * <p>A row the table cannot hold ({@link ReadModelTable#violation}) would fail every batch it is
 * in, and the job with it, forever. Such rows go to the job's dead-letter topic instead, counted in
 * {@code rowsRejectedByTable}; the Kafka topic still has them.
 */
public final class ReadModelSinks {
  /** Rows a table cannot hold, as dead letters. */
  public static final OutputTag<DeadLetter> REJECTED =
      new OutputTag<>("rejected-by-table", TypeInformation.of(DeadLetter.class));

  private ReadModelSinks() {}

  /**
   * Writes {@code rows} into {@code read_models.<tableName>}, laid out as {@code table} (the name
   * differs for a copy such as a time-travel table); returns the rows it rejected, as dead letters.
   */
  public static <T> DataStream<DeadLetter> write(
      DataStream<Upsert<T>> rows,
      ReadModelTable<T> table,
      String tableName,
      JobParameters params,
      TypeInformation<Upsert<T>> type) {
    SingleOutputStreamOperator<Upsert<T>> fitting =
        rows.process(new FitsTheTable<>(table, tableName, params.job()), type)
            .uid(table.name() + "-table-check")
            .name(table.name() + ": rows the table can hold");
    fitting
        .sinkTo(sink(params, table, tableName))
        .uid(table.name() + "-table-sink")
        .name("to " + ReadModelDatabase.SCHEMA + "." + tableName);
    return fitting.getSideOutput(REJECTED);
  }

  static <T> Sink<Upsert<T>> sink(JobParameters params, ReadModelTable<T> table, String name) {
    JdbcConnectionOptions.JdbcConnectionOptionsBuilder connection =
        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
            .withUrl(params.get(ReadModelDatabase.URL))
            .withDriverName("org.postgresql.Driver");
    Properties props = ReadModelDatabase.driverProperties(params);
    for (String key : props.stringPropertyNames()) {
      connection.withProperty(key, props.getProperty(key));
    }
    return JdbcSink.<Upsert<T>>builder()
        .withQueryStatement(table.statement(name), table::bind)
        .withExecutionOptions(
            JdbcExecutionOptions.builder()
                .withBatchSize(1000)
                .withBatchIntervalMs(200)
                .withMaxRetries(3)
                .build())
        .buildAtLeastOnce(connection.build());
  }

  /** Passes on the rows the table can hold; the others become dead letters. */
  static final class FitsTheTable<T> extends ProcessFunction<Upsert<T>, Upsert<T>> {
    private final ReadModelTable<T> table;
    private final String tableName;
    private final String job;
    private transient Counter rejected;

    FitsTheTable(ReadModelTable<T> table, String tableName, String job) {
      this.table = table;
      this.tableName = tableName;
      this.job = job;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      rejected = getRuntimeContext().getMetricGroup().counter("rowsRejectedByTable");
    }

    @Override
    public void processElement(Upsert<T> upsert, Context ctx, Collector<Upsert<T>> out) {
      String violation = table.violation(upsert);
      if (violation == null) {
        out.collect(upsert);
        return;
      }
      rejected.inc();
      String where = ReadModelDatabase.SCHEMA + "." + tableName;
      byte[] key = upsert.key() == null ? null : upsert.key().getBytes(StandardCharsets.UTF_8);
      byte[] row = upsert.value() == null ? null : Json.bytes(upsert.value());
      ctx.output(
          REJECTED,
          DeadLetter.of(
              new RawRecord(where, -1, -1, key, row),
              job,
              where + " cannot hold this row (it is in the Kafka read model): " + violation,
              Instant.now()));
    }
  }
}
