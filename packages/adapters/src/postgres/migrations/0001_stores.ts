/**
 * The store tables: carts, orders and their lines, ERP stock with our
 * promise on it, reservations, the inbox and the outbox.
 *
 * Money is a `bigint` of minor units beside a currency column; the ERP's
 * stock version is a `bigint` too.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** Creates the store tables. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  yield* sql`
    CREATE TABLE carts (
      id text PRIMARY KEY,
      version integer NOT NULL CHECK (version >= 1),
      currency text NOT NULL,
      customer_id text,
      promotion_codes jsonb NOT NULL,
      lines jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`

  yield* sql`
    CREATE TABLE orders (
      id text PRIMARY KEY,
      cart_id text NOT NULL,
      customer_id text,
      currency text NOT NULL,
      status text NOT NULL CHECK (
        status IN ('AwaitingPayment', 'Paid', 'RecordedInErp', 'Cancelled', 'Refunded')
      ),
      total_minor bigint NOT NULL,
      tax_minor bigint NOT NULL,
      payment_reference text,
      erp_reference text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`
  yield* sql`CREATE INDEX orders_by_cart ON orders (cart_id, created_at DESC)`

  yield* sql`
    CREATE TABLE order_lines (
      order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
      position integer NOT NULL,
      sku text NOT NULL,
      name text NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      currency text NOT NULL,
      unit_price_minor bigint NOT NULL,
      total_minor bigint NOT NULL,
      tax_minor bigint NOT NULL,
      PRIMARY KEY (order_id, position)
    )`

  yield* sql`
    CREATE TABLE stock (
      sku text NOT NULL,
      location_id text NOT NULL,
      erp_available integer NOT NULL,
      erp_version bigint,
      promised integer NOT NULL DEFAULT 0 CHECK (promised >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sku, location_id)
    )`

  yield* sql`
    CREATE TABLE reservations (
      id text PRIMARY KEY,
      cart_id text NOT NULL,
      order_id text,
      sku text NOT NULL,
      location_id text NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      status text NOT NULL CHECK (status IN ('Held', 'Committed', 'Released', 'Expired')),
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (sku, location_id) REFERENCES stock (sku, location_id)
    )`
  yield* sql`CREATE INDEX reservations_held_by_cart ON reservations (cart_id) WHERE status = 'Held'`
  yield* sql`CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE status = 'Held'`
  yield* sql`CREATE INDEX reservations_by_order ON reservations (order_id) WHERE order_id IS NOT NULL`
  yield* sql`CREATE INDEX reservations_by_stock ON reservations (sku, location_id)`

  yield* sql`
    CREATE TABLE inbox_events (
      source text NOT NULL,
      event_id text NOT NULL,
      subject text NOT NULL,
      occurred_at timestamptz NOT NULL,
      tag text NOT NULL,
      body jsonb NOT NULL,
      receipt text NOT NULL CHECK (receipt IN ('New', 'Stale')),
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, event_id)
    )`
  yield* sql`
    CREATE TABLE inbox_subjects (
      subject text PRIMARY KEY,
      occurred_at timestamptz NOT NULL
    )`

  yield* sql`
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key text NOT NULL UNIQUE,
      message jsonb NOT NULL,
      available_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`CREATE INDEX outbox_due ON outbox (available_at, id) WHERE delivered_at IS NULL`
})
