-- The shop database of the CDC stack: run as the `shop` user in the `shop` database, by
-- scripts/cdc.sh start and by cdc-sync's end-to-end test alike (this one file is both's schema).
--
-- Every table has REPLICA IDENTITY FULL, so Debezium's updates and deletes carry the whole old row.
-- Times are cut to milliseconds, as the contract writes them, so the read models and these tables
-- compare equal.

CREATE TABLE customers (
  id bigint PRIMARY KEY,
  email text NOT NULL,
  full_name text NOT NULL,
  country char(2) NOT NULL,
  tier text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

CREATE TABLE products (
  id bigint PRIMARY KEY,
  sku text NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  price numeric(12,2) NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

-- No foreign keys: an order may reference a customer or product that is deleted or not there yet,
-- which the read models must handle (the join then has no row for it).
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  product_id bigint NOT NULL,
  quantity int NOT NULL,
  total numeric(12,2) NOT NULL,
  status text NOT NULL CHECK (status IN ('NEW', 'PAID', 'SHIPPED', 'CANCELLED')),
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);

-- The transactional outbox: rows written in the same transaction as the order change they
-- announce; Debezium's outbox event router publishes each to `<aggregatetype>.events`, keyed by
-- aggregateid, with the payload as the record's value.
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  aggregatetype text NOT NULL,
  aggregateid text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL
);

ALTER TABLE customers REPLICA IDENTITY FULL;
ALTER TABLE products REPLICA IDENTITY FULL;
ALTER TABLE orders REPLICA IDENTITY FULL;
ALTER TABLE outbox REPLICA IDENTITY FULL;

-- The read models of cdc-sync as SQL over the current tables: at quiescence the compacted output
-- topics hold exactly these rows.
CREATE VIEW orders_enriched AS
  SELECT o.id AS order_id, o.status, o.quantity, o.total, o.customer_id,
         c.full_name AS customer_name, c.country AS customer_country, c.tier AS customer_tier,
         o.product_id, p.name AS product_name, p.category, o.created_at, o.updated_at
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN products p ON p.id = o.product_id;

CREATE VIEW sales_by_category AS
  SELECT p.category, count(*) AS orders, sum(o.quantity) AS units, sum(o.total) AS revenue
  FROM orders o
  JOIN products p ON p.id = o.product_id
  WHERE o.status <> 'CANCELLED'
  GROUP BY p.category;

CREATE VIEW customer_summary AS
  SELECT customer_id, count(*) AS orders, sum(total) AS total_spent, max(created_at) AS last_order_at
  FROM orders
  WHERE status <> 'CANCELLED'
  GROUP BY customer_id;

-- A few seed rows, for the snapshot.
INSERT INTO customers (id, email, full_name, country, tier) VALUES
  (1, 'ada@shop.test', 'Ada Lovelace', 'GB', 'GOLD'),
  (2, 'grace@shop.test', 'Grace Hopper', 'US', 'SILVER'),
  (3, 'marie@shop.test', 'Marie Curie', 'FR', 'BRONZE');
INSERT INTO products (id, sku, name, category, price) VALUES
  (1, 'BK-001', 'The Analytical Engine', 'books', 24.90),
  (2, 'GD-001', 'Rake', 'garden', 19.50),
  (3, 'TY-001', 'Difference Engine kit', 'toys', 89.00);
INSERT INTO orders (id, customer_id, product_id, quantity, total, status) VALUES
  (1, 1, 1, 2, 49.80, 'PAID'),
  (2, 2, 3, 1, 89.00, 'NEW');
