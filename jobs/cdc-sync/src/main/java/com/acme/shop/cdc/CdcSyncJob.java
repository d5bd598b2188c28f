package com.acme.shop.cdc;

import com.acme.shop.cdc.ReadModels.Model;
import com.acme.shop.flink.Input;
import com.acme.shop.flink.Inputs;
import com.acme.shop.flink.JobEnvironment;
import com.acme.shop.flink.Output;
import com.acme.shop.flink.Upsert;
import com.acme.shop.jdbc.ReadModelDatabase;
import com.acme.shop.jdbc.ReadModelSinks;
import com.acme.shop.jdbc.ReadModelTables;
import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.EventParser;
import com.acme.shop.kafka.KafkaSinks;
import com.acme.shop.kafka.KafkaSources;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RejectedTopics;
import com.acme.shop.model.CategorySales;
import com.acme.shop.model.Change;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.InvalidEventException;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.ProductRow;
import com.acme.shop.params.JobParameters;
import com.acme.shop.params.Param;
import com.acme.shop.topics.Topic;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * CQRS read models from the shop database's change streams (Debezium): {@code cdc.orders-enriched},
 * {@code cdc.sales-by-category} and {@code cdc.customer-summary}, each an upsert topic whose
 * compacted content equals a SQL view over the current tables.
 *
 * <pre>
 * orders    ─▶ current rows ─┬─ memberships ─▶ customers fan-out ◀─ current rows ◀─ customers
 *                            │               ─▶ products fan-out  ◀─ current rows ◀─ products
 *                            ├─▶ join (order, customer, product) ─▶ cdc.orders-enriched
 *                            ├─▶ join (order, product) ─▶ sum by category ─▶ cdc.sales-by-category
 *                            └─▶ sum by customer ─▶ cdc.customer-summary
 * </pre>
 *
 * Every read model is its own chain after the current rows, with its own uids, so {@code
 * --read-models} can run one alone: a bounded replay from {@code earliest} into a fresh topic
 * rebuilds it. Changes are ordered by their source position (LSN) per row, not by event time, so
 * nothing is ever late: the job has no late topic.
 */
public final class CdcSyncJob {
  public static final String JOB = "cdc-sync";

  /** The upsert topics, as written: key and row, the row null for a tombstone. */
  static final Topic<Upsert<OrderEnriched>> ORDERS_ENRICHED =
      upsert(Topics.ORDERS_ENRICHED, new TypeHint<>() {});

  static final Topic<Upsert<CategorySales>> SALES_BY_CATEGORY =
      upsert(Topics.SALES_BY_CATEGORY, new TypeHint<>() {});
  static final Topic<Upsert<CustomerSummary>> CUSTOMER_SUMMARY =
      upsert(Topics.CUSTOMER_SUMMARY, new TypeHint<>() {});

  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.CUSTOMERS,
          Topics.PRODUCTS,
          Topics.ORDERS,
          Topics.ORDERS_ENRICHED,
          Topics.SALES_BY_CATEGORY,
          Topics.CUSTOMER_SUMMARY,
          RejectedTopics.deadLetters(JOB));

  static final Param<Set<Model>> READ_MODELS =
      Param.of(
          "read-models",
          EnumSet.allOf(Model.class),
          ReadModels::parse,
          "the read models to maintain, comma-separated: orders-enriched, sales-by-category,"
              + " customer-summary, or all; one alone with --bounded --starting-offsets earliest"
              + " and a fresh --topic.<model> rebuilds it");

  static final Param<Duration> DELETED_ROW_RETENTION =
      Param.duration(
          "deleted-row-retention",
          Duration.ofDays(1),
          "how long (event time, after the delete's commit) a deleted row's last LSN is kept, so"
              + " a redelivered older change cannot bring it back");

  static final List<Param<?>> PARAMS =
      Stream.concat(
              Stream.of(READ_MODELS, DELETED_ROW_RETENTION), ReadModelDatabase.PARAMS.stream())
          .toList();

  private CdcSyncJob() {}

  private static <T> Topic<Upsert<T>> upsert(Topic<T> topic, TypeHint<Upsert<T>> type) {
    return Topic.of(topic.name(), topic.defaultName(), type, Upsert::key);
  }

  /** Where the job reads from. */
  public record Sources(
      Source<Parsed<Change<CustomerRow>>, ?, ?> customers,
      Source<Parsed<Change<ProductRow>>, ?, ?> products,
      Source<Parsed<Change<OrderRow>>, ?, ?> orders) {

    public static Sources kafka(JobParameters params) {
      return new Sources(
          KafkaSources.parsed(params, Topics.CUSTOMERS, changes(CustomerRow.class)),
          KafkaSources.parsed(params, Topics.PRODUCTS, changes(ProductRow.class)),
          KafkaSources.parsed(params, Topics.ORDERS, changes(OrderRow.class)));
    }
  }

  /**
   * Debezium's envelope as the shared model parses it, plus what the dedup rule needs: the change's
   * source position. Without it a change could not be ordered against its row's others.
   */
  static <R> EventParser<Change<R>> changes(Class<R> rowType) {
    EventParser<Change<R>> envelope = EventParser.debezium(rowType);
    return value -> {
      Change<R> change = envelope.parse(value);
      if (change != null && (change.source() == null || change.source().lsn() == null)) {
        throw new InvalidEventException("missing required field 'source.lsn'");
      }
      return change;
    };
  }

  /** Where the job's results go. */
  public record Outputs(
      Sink<Upsert<OrderEnriched>> ordersEnriched,
      Sink<Upsert<CategorySales>> salesByCategory,
      Sink<Upsert<CustomerSummary>> customerSummary,
      Sink<DeadLetter> deadLetters) {

    /** Sinks that drop everything: for benchmarks, and for inspecting the topology. */
    public static Outputs discarding() {
      return new Outputs(
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>(),
          new DiscardingSink<>());
    }

    public static Outputs kafka(JobParameters params) {
      return new Outputs(
          KafkaSinks.json(params, ORDERS_ENRICHED, Upsert::value),
          KafkaSinks.json(params, SALES_BY_CATEGORY, Upsert::value),
          KafkaSinks.json(params, CUSTOMER_SUMMARY, Upsert::value),
          KafkaSinks.deadLetters(params));
    }
  }

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(
        parameters(args),
        (env, params) -> build(env, params, Sources.kafka(params), Outputs.kafka(params)));
  }

  /** Parses the options; see {@link JobParameters#parse}. */
  public static Optional<JobParameters> parameters(String... args) {
    Optional<JobParameters> parsed = JobParameters.parse(JOB, args, PARAMS, TOPICS);
    parsed.ifPresent(CdcSyncJob::checkTogether);
    return parsed;
  }

  private static void checkTogether(JobParameters params) {
    if (params.get(READ_MODELS).isEmpty()) {
      throw new IllegalArgumentException("--read-models names no read model");
    }
    Duration retention = params.get(DELETED_ROW_RETENTION);
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("--deleted-row-retention must be positive");
    }
  }

  /** The whole topology, from the sources to every output sink. */
  public static void build(
      StreamExecutionEnvironment env, JobParameters params, Sources sources, Outputs outputs) {
    Set<Model> models = params.get(READ_MODELS);
    Duration retention = params.get(DELETED_ROW_RETENTION);
    boolean enriched = models.contains(Model.ORDERS_ENRICHED);
    boolean byCategory = models.contains(Model.SALES_BY_CATEGORY);
    // With --read-model-jdbc-url each read model also goes into its PostgreSQL table.
    boolean tables = ReadModelDatabase.enabled(params);
    if (tables) {
      ReadModelDatabase.migrate(params, Map.of());
    }
    List<DataStream<DeadLetter>> rejectedRows = new ArrayList<>();

    // Every record is applied by its LSN, whatever its commit time: none is late.
    Inputs inputs = new Inputs(env, params);
    Input<Change<OrderRow>> orderChanges = inputs.readEveryRecord(Topics.ORDERS, sources.orders());
    SingleOutputStreamOperator<RowChange<OrderRow>> orders =
        CurrentRows.apply(orderChanges.events(), Tables.ORDERS, retention);

    DataStream<RowFor<ProductRow>> products = null;
    if (enriched || byCategory) {
      Input<Change<ProductRow>> productChanges =
          inputs.readEveryRecord(Topics.PRODUCTS, sources.products());
      products =
          FanOut.apply(
              CurrentRows.apply(productChanges.events(), Tables.PRODUCTS, retention),
              orders
                  .flatMap(FanOut.memberships(OrderRow::productId), Tables.MEMBERSHIP)
                  .name("orders joining and leaving products"),
              Tables.PRODUCTS);
    }

    if (enriched) {
      Input<Change<CustomerRow>> customerChanges =
          inputs.readEveryRecord(Topics.CUSTOMERS, sources.customers());
      DataStream<RowFor<CustomerRow>> customers =
          FanOut.apply(
              CurrentRows.apply(customerChanges.events(), Tables.CUSTOMERS, retention),
              orders
                  .flatMap(FanOut.memberships(OrderRow::customerId), Tables.MEMBERSHIP)
                  .name("orders joining and leaving customers"),
              Tables.CUSTOMERS);
      DataStream<Upsert<OrderEnriched>> rows =
          OrderJoin.apply(
                  "orders-enriched",
                  "orders-enriched: order with its current customer and product",
                  orders,
                  customers,
                  products,
                  ReadModels::enriched,
                  Topics.ORDERS_ENRICHED.type(),
                  OrderJoin.joinedType(new TypeHint<Joined<OrderEnriched>>() {}))
              .map(j -> new Upsert<>(Long.toString(j.orderId()), j.after()), ORDERS_ENRICHED.type())
              .name("orders-enriched: upserts and tombstones");
      Output.write(rows, outputs.ordersEnriched(), params, ORDERS_ENRICHED);
      if (tables) {
        rejectedRows.add(
            ReadModelSinks.write(
                rows,
                ReadModelTables.ORDERS_ENRICHED,
                "orders_enriched",
                params,
                ORDERS_ENRICHED.type()));
      }
    }

    if (byCategory) {
      DataStream<Joined<Contribution>> inCategory =
          OrderJoin.apply(
              "sales-by-category-join",
              "sales-by-category: order with its product's current category",
              orders,
              null,
              products,
              ReadModels::toCategory,
              Tables.CONTRIBUTION,
              OrderJoin.joinedType(new TypeHint<Joined<Contribution>>() {}));
      DataStream<Upsert<CategorySales>> sales =
          Totals.apply(inCategory, "sales-by-category", "sales-by-category: totals per category")
              .map(
                  t ->
                      new Upsert<>(
                          t.key(), t.value() == null ? null : ReadModels.categorySales(t.value())),
                  SALES_BY_CATEGORY.type())
              .name("sales-by-category: upserts and tombstones");
      Output.write(sales, outputs.salesByCategory(), params, SALES_BY_CATEGORY);
      if (tables) {
        rejectedRows.add(
            ReadModelSinks.write(
                sales,
                ReadModelTables.SALES_BY_CATEGORY,
                "sales_by_category",
                params,
                SALES_BY_CATEGORY.type()));
      }
    }

    if (models.contains(Model.CUSTOMER_SUMMARY)) {
      DataStream<Joined<Contribution>> ofCustomer =
          orders
              .map(
                  c ->
                      new Joined<>(
                          c.id(),
                          ReadModels.toCustomer(c.before()),
                          ReadModels.toCustomer(c.after())),
                  OrderJoin.joinedType(new TypeHint<Joined<Contribution>>() {}))
              .name("customer-summary: what each order change contributes");
      DataStream<Upsert<CustomerSummary>> summaries =
          Totals.apply(ofCustomer, "customer-summary", "customer-summary: totals per customer")
              .map(
                  t ->
                      new Upsert<>(
                          t.key(),
                          t.value() == null ? null : ReadModels.customerSummary(t.value())),
                  CUSTOMER_SUMMARY.type())
              .name("customer-summary: upserts and tombstones");
      Output.write(summaries, outputs.customerSummary(), params, CUSTOMER_SUMMARY);
      if (tables) {
        rejectedRows.add(
            ReadModelSinks.write(
                summaries,
                ReadModelTables.CUSTOMER_SUMMARY,
                "customer_summary",
                params,
                CUSTOMER_SUMMARY.type()));
      }
    }

    DataStream<DeadLetter> deadLetters = inputs.deadLetters();
    for (DataStream<DeadLetter> rejected : rejectedRows) {
      deadLetters = deadLetters.union(rejected);
    }
    Output.write(deadLetters, outputs.deadLetters(), params, RejectedTopics.deadLetters(JOB));
  }
}
