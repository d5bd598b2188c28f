package com.acme.shop.topics;

import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.BotAlert;
import com.acme.shop.model.CartAbandonment;
import com.acme.shop.model.CategorySales;
import com.acme.shop.model.Change;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.CommandRejection;
import com.acme.shop.model.CustomerRow;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.EventRate;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.OrderCommand;
import com.acme.shop.model.OrderEnriched;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.model.PaymentLatency;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.ProductRow;
import com.acme.shop.model.SagaState;
import com.acme.shop.model.SessionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeHint;

/**
 * Every topic of the contract, declared once with its value type and key. Jobs pick theirs by
 * reference. {@code scripts/topics.txt}, which creates the topics, lists exactly {@link
 * #allNames()} (a test checks it).
 *
 * <p>The dead-letter and late topics of each job hold the {@code kafka} package's own record types,
 * which this package does not depend on; {@code kafka.RejectedTopics} declares them, with the names
 * given here.
 */
public final class Topics {
  private Topics() {}

  // CDC inputs: Debezium envelopes, keyed by Debezium's JSON key.
  public static final Topic<Change<CustomerRow>> CUSTOMERS =
      Topic.of(
          "customers",
          "shop.public.customers",
          new TypeHint<Change<CustomerRow>>() {},
          c -> debeziumKey(c, CustomerRow::id));
  public static final Topic<Change<ProductRow>> PRODUCTS =
      Topic.of(
          "products",
          "shop.public.products",
          new TypeHint<Change<ProductRow>>() {},
          c -> debeziumKey(c, ProductRow::id));
  public static final Topic<Change<OrderRow>> ORDERS =
      Topic.of(
          "orders",
          "shop.public.orders",
          new TypeHint<Change<OrderRow>>() {},
          c -> debeziumKey(c, OrderRow::id));

  // Domain-event inputs
  public static final Topic<PaymentTransaction> TRANSACTIONS =
      Topic.of(
          "transactions",
          "payments.transactions",
          PaymentTransaction.class,
          PaymentTransaction::cardId);
  public static final Topic<LoginEvent> LOGINS =
      Topic.of("logins", "auth.logins", LoginEvent.class, LoginEvent::userId);
  public static final Topic<ClickEvent> CLICKSTREAM =
      Topic.of("clickstream", "web.clickstream", ClickEvent.class, ClickEvent::userId);
  public static final Topic<AccountCommand> ACCOUNT_COMMANDS =
      Topic.of(
          "account-commands",
          "bank.account-commands",
          AccountCommand.class,
          AccountCommand::accountId);
  public static final Topic<OrderEvent> ORDER_EVENTS =
      Topic.of("order-events", "orders.events", OrderEvent.class, OrderEvent::orderId);

  // Outputs
  public static final Topic<OrderEnriched> ORDERS_ENRICHED =
      Topic.of(
          "orders-enriched",
          "cdc.orders-enriched",
          OrderEnriched.class,
          o -> Long.toString(o.orderId()));
  public static final Topic<CategorySales> SALES_BY_CATEGORY =
      Topic.of(
          "sales-by-category",
          "cdc.sales-by-category",
          CategorySales.class,
          CategorySales::category);
  public static final Topic<CustomerSummary> CUSTOMER_SUMMARY =
      Topic.of(
          "customer-summary",
          "cdc.customer-summary",
          CustomerSummary.class,
          s -> Long.toString(s.customerId()));
  public static final Topic<FraudAlert> FRAUD_ALERTS =
      Topic.of("alerts", "fraud.alerts", FraudAlert.class, FraudAlert::alertId);
  public static final Topic<PageViewCount> PAGE_VIEWS =
      Topic.of("page-views", "activity.page-views", PageViewCount.class, PageViewCount::page);
  public static final Topic<EventRate> EVENT_RATES =
      Topic.of("event-rates", "activity.event-rates", EventRate.class, EventRate::type);
  public static final Topic<SessionSummary> SESSIONS =
      Topic.of("sessions", "activity.sessions", SessionSummary.class, SessionSummary::userId);
  public static final Topic<CartAbandonment> CART_ABANDONMENT =
      Topic.of(
          "cart-abandonment",
          "activity.cart-abandonment",
          CartAbandonment.class,
          CartAbandonment::userId);
  public static final Topic<BotAlert> BOT_ALERTS =
      Topic.of("alerts", "activity.alerts", BotAlert.class, BotAlert::userId);
  public static final Topic<AccountEvent> ACCOUNT_EVENTS =
      Topic.of(
          "account-events", "bank.account-events", AccountEvent.class, AccountEvent::accountId);
  public static final Topic<CommandRejection> COMMAND_REJECTIONS =
      Topic.of(
          "command-rejections",
          "bank.command-rejections",
          CommandRejection.class,
          CommandRejection::accountId);
  public static final Topic<AccountBalance> BALANCES =
      Topic.of("balances", "bank.balances", AccountBalance.class, AccountBalance::accountId);
  public static final Topic<SagaState> SAGA =
      Topic.of("saga", "orders.saga", SagaState.class, SagaState::orderId);
  public static final Topic<OrderCommand> ORDER_COMMANDS =
      Topic.of("commands", "orders.commands", OrderCommand.class, OrderCommand::orderId);
  public static final Topic<PaymentLatency> PAYMENT_LATENCY =
      Topic.of(
          "payment-latency",
          "orders.payment-latency",
          PaymentLatency.class,
          PaymentLatency::orderId);

  /** The jobs that read input topics, each with its own dead-letter and late topic. */
  public static final List<String> PROCESSING_JOBS =
      List.of("cdc-sync", "fraud-detection", "activity-monitor", "account-ledger", "order-saga");

  /** Logical name of every job's dead-letter topic. */
  public static final String DEAD_LETTERS = "dlq";

  /** Logical name of every job's late topic. */
  public static final String LATE = "late";

  /** {@code dlq.<job>}: records the job could not parse or that break the schema. */
  public static String deadLettersTopic(String job) {
    return DEAD_LETTERS + "." + job;
  }

  /** {@code late.<job>}: records later than the job's watermark allows, as received. */
  public static String lateTopic(String job) {
    return LATE + "." + job;
  }

  /** Every input and output topic of the contract, typed. */
  public static List<Topic<?>> all() {
    return List.of(
        CUSTOMERS,
        PRODUCTS,
        ORDERS,
        TRANSACTIONS,
        LOGINS,
        CLICKSTREAM,
        ACCOUNT_COMMANDS,
        ORDER_EVENTS,
        ORDERS_ENRICHED,
        SALES_BY_CATEGORY,
        CUSTOMER_SUMMARY,
        FRAUD_ALERTS,
        PAGE_VIEWS,
        EVENT_RATES,
        SESSIONS,
        CART_ABANDONMENT,
        BOT_ALERTS,
        ACCOUNT_EVENTS,
        COMMAND_REJECTIONS,
        BALANCES,
        SAGA,
        ORDER_COMMANDS,
        PAYMENT_LATENCY);
  }

  /** The name of every topic the shop uses: {@link #all()} and each job's dlq and late topic. */
  public static List<String> allNames() {
    List<String> names = new ArrayList<>(all().stream().map(Topic::defaultName).toList());
    for (String job : PROCESSING_JOBS) {
      names.add(deadLettersTopic(job));
      names.add(lateTopic(job));
    }
    return List.copyOf(names);
  }

  /** The domain-event input topics, which the datagen job writes. */
  public static List<Topic<?>> domainInputs() {
    return List.of(TRANSACTIONS, LOGINS, CLICKSTREAM, ACCOUNT_COMMANDS, ORDER_EVENTS);
  }

  /** Debezium's key of a row with a {@code bigint} primary key: {@code {"id":17}}. */
  private static <R> String debeziumKey(Change<R> change, Function<R, Long> id) {
    R row = change.after() != null ? change.after() : change.before();
    return "{\"id\":" + id.apply(row) + "}";
  }
}
