-- The query side of CQRS: the read models of cdc-sync and account-ledger as PostgreSQL tables.
-- Applied by each job at start when --read-model-jdbc-url is given; every statement is idempotent.
-- Column names are those of the SQL views in scripts/conf/cdc-schema.sql, so a table and its view
-- can be compared row by row. Money is numeric(12,2), times are timestamptz.
CREATE SCHEMA IF NOT EXISTS read_models;

CREATE TABLE IF NOT EXISTS read_models.orders_enriched (
  order_id         bigint PRIMARY KEY,
  status           text NOT NULL,
  quantity         integer,
  total            numeric(12,2),
  customer_id      bigint,
  customer_name    text,
  customer_country text,
  customer_tier    text,
  product_id       bigint,
  product_name     text,
  category         text,
  created_at       timestamptz,
  updated_at       timestamptz
);

CREATE TABLE IF NOT EXISTS read_models.sales_by_category (
  category text PRIMARY KEY,
  orders   bigint NOT NULL,
  units    bigint NOT NULL,
  revenue  numeric(12,2) NOT NULL
);

CREATE TABLE IF NOT EXISTS read_models.customer_summary (
  customer_id   bigint PRIMARY KEY,
  orders        bigint NOT NULL,
  total_spent   numeric(12,2) NOT NULL,
  last_order_at timestamptz
);

CREATE TABLE IF NOT EXISTS read_models.balances (
  account_id text PRIMARY KEY,
  owner      text,
  balance    numeric(12,2) NOT NULL,
  status     text NOT NULL,
  version    bigint NOT NULL,
  as_of      timestamptz NOT NULL
);
