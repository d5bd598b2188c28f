package com.acme.shop.jdbc;

import static com.acme.shop.jdbc.ReadModelTable.SqlType.BIGINT;
import static com.acme.shop.jdbc.ReadModelTable.SqlType.INTEGER;
import static com.acme.shop.jdbc.ReadModelTable.SqlType.MONEY;
import static com.acme.shop.jdbc.ReadModelTable.SqlType.TEXT;
import static com.acme.shop.jdbc.ReadModelTable.SqlType.TIMESTAMPTZ;

import com.acme.shop.model.AccountBalance;
import com.acme.shop.model.CategorySales;
import com.acme.shop.model.CustomerSummary;
import com.acme.shop.model.OrderEnriched;

/** The tables of {@code read-models.sql}, column by column from the read-model records. */
public final class ReadModelTables {
  private ReadModelTables() {}

  public static final ReadModelTable<OrderEnriched> ORDERS_ENRICHED =
      ReadModelTable.<OrderEnriched>named("orders_enriched", "order_id", BIGINT)
          .required("status", TEXT, OrderEnriched::status)
          .column("quantity", INTEGER, OrderEnriched::quantity)
          .column("total", MONEY, OrderEnriched::total)
          .column("customer_id", BIGINT, OrderEnriched::customerId)
          .column("customer_name", TEXT, OrderEnriched::customerName)
          .column("customer_country", TEXT, OrderEnriched::customerCountry)
          .column("customer_tier", TEXT, OrderEnriched::customerTier)
          .column("product_id", BIGINT, OrderEnriched::productId)
          .column("product_name", TEXT, OrderEnriched::productName)
          .column("category", TEXT, OrderEnriched::category)
          .column("created_at", TIMESTAMPTZ, OrderEnriched::createdAt)
          .column("updated_at", TIMESTAMPTZ, OrderEnriched::updatedAt)
          .build();

  public static final ReadModelTable<CategorySales> SALES_BY_CATEGORY =
      ReadModelTable.<CategorySales>named("sales_by_category", "category", TEXT)
          .required("orders", BIGINT, CategorySales::orders)
          .required("units", BIGINT, CategorySales::units)
          .required("revenue", MONEY, CategorySales::revenue)
          .build();

  public static final ReadModelTable<CustomerSummary> CUSTOMER_SUMMARY =
      ReadModelTable.<CustomerSummary>named("customer_summary", "customer_id", BIGINT)
          .required("orders", BIGINT, CustomerSummary::orders)
          .required("total_spent", MONEY, CustomerSummary::totalSpent)
          .column("last_order_at", TIMESTAMPTZ, CustomerSummary::lastOrderAt)
          .build();

  public static final ReadModelTable<AccountBalance> BALANCES =
      ReadModelTable.<AccountBalance>named("balances", "account_id", TEXT)
          .column("owner", TEXT, AccountBalance::owner)
          .required("balance", MONEY, AccountBalance::balance)
          .required("status", TEXT, AccountBalance::status)
          .required("version", BIGINT, AccountBalance::version)
          .required("as_of", TIMESTAMPTZ, AccountBalance::asOf)
          .build();
}
