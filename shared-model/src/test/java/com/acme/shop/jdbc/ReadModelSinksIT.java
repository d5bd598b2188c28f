package com.acme.shop.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.flink.Upsert;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.model.CategorySales;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.Postgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read model into a real PostgreSQL table through Flink's JDBC sink on a MiniCluster: upserts,
 * updates and tombstones leave exactly the last row of every key, also through a restart from a
 * checkpoint that replays part of the input; a row the table cannot hold becomes a dead letter, and
 * the job still finishes.
 */
class ReadModelSinksIT {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  static final TypeInformation<Upsert<CategorySales>> TYPE =
      TypeInformation.of(new TypeHint<Upsert<CategorySales>>() {});

  @TempDir static Path dir;
  static Postgres pg;

  /** Fails the job once, mid-input, so it restarts from its last checkpoint. */
  static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Postgres.start(dir.resolve("pg"));
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  JobParameters params(String job) throws Exception {
    Path props = Files.writeString(dir.resolve(job + ".properties"), "password=shop\n");
    return JobParameters.parse(
            job,
            new String[] {
              "--bootstrap-servers", "localhost:1",
              "--checkpoint-interval", "100ms",
              "--parallelism", "2",
              "--read-model-jdbc-url", pg.shopUrl(),
              "--read-model-jdbc-properties", props.toString()
            },
            ReadModelDatabase.PARAMS,
            List.of())
        .orElseThrow();
  }

  static Upsert<CategorySales> row(String category, long orders, String revenue) {
    return new Upsert<>(
        category, new CategorySales(category, orders, orders * 2, new BigDecimal(revenue)));
  }

  @Test
  void theTableHoldsTheLastRowOfEveryKeyThroughARestartAndRefusesWhatCannotFit() throws Exception {
    List<Upsert<CategorySales>> input = new ArrayList<>();
    Map<String, CategorySales> expected = new TreeMap<>();
    for (int i = 0; i < 3_000; i++) {
      String category = "c" + (i % 40);
      // Now and then a tombstone, which deletes the row.
      Upsert<CategorySales> upsert =
          i % 97 == 0 ? new Upsert<>(category, null) : row(category, i, i + ".25");
      input.add(upsert);
      if (upsert.value() == null) {
        expected.remove(category);
      } else {
        expected.put(category, upsert.value());
      }
    }
    input.add(row("too-much", 1, "12345678901.00")); // beyond numeric(12,2)
    input.add(row("fraction", 1, "1.005")); // three decimals
    input.add(row("nul\u0000byte", 1, "1.00")); // text PostgreSQL cannot store

    JobParameters params = params("sales-table");
    ReadModelDatabase.migrate(params, Map.of());
    StreamExecutionEnvironment env =
        JobEnvironment.configure(StreamExecutionEnvironment.getExecutionEnvironment(), params);
    DataStream<Upsert<CategorySales>> rows =
        env.fromData(input, TYPE)
            .setParallelism(1)
            // One key's changes in order on one subtask, as the jobs' keyed operators give them.
            .keyBy(Upsert::key)
            .map(
                u -> {
                  boolean late = u.value() != null && u.value().orders() > 2000;
                  if (late && u.key().equals("c7") && FAILED_ONCE.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure, once");
                  }
                  return u;
                },
                TYPE);
    DataStream<DeadLetter> rejected =
        ReadModelSinks.write(
            rows, ReadModelTables.SALES_BY_CATEGORY, "sales_by_category", params, TYPE);
    List<DeadLetter> deadLetters = new ArrayList<>();
    rejected.executeAndCollect("sales-table").forEachRemaining(deadLetters::add);

    assertThat(FAILED_ONCE).isTrue();
    assertThat(table()).isEqualTo(expected);
    assertThat(deadLetters)
        .extracting(DeadLetter::error)
        .hasSize(3)
        .anySatisfy(e -> assertThat(e).contains("revenue: 12345678901.00 does not fit"))
        .anySatisfy(e -> assertThat(e).contains("revenue: 1.005 has more than 2 decimals"))
        .anySatisfy(e -> assertThat(e).contains("is not a text"));
    assertThat(deadLetters)
        .allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo("read_models.sales_by_category"));
  }

  /** The rows of read_models.sales_by_category, by category. */
  static Map<String, CategorySales> table() throws Exception {
    Map<String, CategorySales> rows = new TreeMap<>();
    try (Connection c = pg.shop();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM read_models.sales_by_category")) {
      while (r.next()) {
        rows.put(
            r.getString("category"),
            new CategorySales(
                r.getString("category"),
                r.getLong("orders"),
                r.getLong("units"),
                r.getBigDecimal("revenue")));
      }
    }
    return rows;
  }
}
