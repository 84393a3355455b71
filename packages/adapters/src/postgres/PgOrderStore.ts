/**
 * Orders in PostgreSQL. Amounts are `bigint` minor units beside their
 * currency; a transition locks the order's row, runs the order state
 * machine and writes the result in one transaction.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Money, Order, OrderStore, StoreError } from "@mercantile/domain"
import type { Currency, Ids } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { orStoreError } from "./internal/errors"

const OrderRow = Schema.Struct({
  id: Schema.String,
  cart_id: Schema.String,
  customer_id: Schema.NullOr(Schema.String),
  currency: Schema.String,
  status: Schema.String,
  total_minor: Schema.BigInt,
  tax_minor: Schema.BigInt,
  payment_reference: Schema.NullOr(Schema.String),
  erp_reference: Schema.NullOr(Schema.String),
  created_at: Schema.DateFromSelf,
  updated_at: Schema.DateFromSelf
})

const LineRow = Schema.Struct({
  sku: Schema.String,
  name: Schema.String,
  quantity: Schema.Int,
  currency: Schema.String,
  unit_price_minor: Schema.BigInt,
  total_minor: Schema.BigInt,
  tax_minor: Schema.BigInt
})

const decodeOrderRows = Schema.decodeUnknown(Schema.Array(OrderRow))
const decodeLineRows = Schema.decodeUnknown(Schema.Array(LineRow))
const decodeOrder = Schema.decodeUnknown(Order.Order)

/** Money as the wire form the `Order` schema decodes, without passing through a float. */
const money = (currency: string, minor: bigint) => ({
  currency,
  amount: Money.toDecimal(Money.make(currency as Currency.CurrencyCode, minor))
})

const toOrder = (row: typeof OrderRow.Type, lines: ReadonlyArray<typeof LineRow.Type>) =>
  decodeOrder({
    id: row.id,
    cartId: row.cart_id,
    currency: row.currency,
    status: row.status,
    total: money(row.currency, row.total_minor),
    tax: money(row.currency, row.tax_minor),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lines: lines.map((line) => ({
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.currency, line.unit_price_minor),
      total: money(line.currency, line.total_minor),
      tax: money(line.currency, line.tax_minor)
    })),
    ...(row.customer_id === null ? {} : { customerId: row.customer_id }),
    ...(row.payment_reference === null ? {} : { paymentReference: row.payment_reference }),
    ...(row.erp_reference === null ? {} : { erpReference: row.erp_reference })
  })

const mixedCurrencies = (order: Order.Order) =>
  [order.total, order.tax].some((m) => m.currency !== order.currency) ||
  order.lines.some((l) => [l.total, l.tax].some((m) => m.currency !== l.unitPrice.currency))

/** Builds the PostgreSQL `OrderStore`. */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const load = (where: "id" | "cart", key: string, lock: boolean) =>
    Effect.gen(function* () {
      const rows = yield* decodeOrderRows(
        yield* where === "id"
          ? sql`SELECT * FROM orders WHERE id = ${key} ${sql.literal(lock ? "FOR UPDATE" : "")}`
          : sql`SELECT * FROM orders WHERE cart_id = ${key}
                ORDER BY created_at DESC, id DESC LIMIT 1`
      )
      const row = rows[0]
      if (row === undefined) return Option.none<Order.Order>()
      const lines = yield* decodeLineRows(
        yield* sql`SELECT * FROM order_lines WHERE order_id = ${row.id} ORDER BY position`
      )
      return Option.some(yield* toOrder(row, lines))
    })

  const insert = (order: Order.Order) =>
    Effect.gen(function* () {
      const inserted = yield* sql`
        INSERT INTO orders (id, cart_id, customer_id, currency, status, total_minor, tax_minor,
          payment_reference, erp_reference, created_at, updated_at)
        VALUES (${order.id}, ${order.cartId}, ${order.customerId ?? null}, ${order.currency},
          ${order.status}, ${order.total.minor}, ${order.tax.minor},
          ${order.paymentReference ?? null}, ${order.erpReference ?? null},
          ${order.createdAt}, ${order.updatedAt})
        ON CONFLICT (id) DO NOTHING
        RETURNING id`
      if (inserted.length === 0) return
      yield* Effect.forEach(
        order.lines,
        (line, position) => sql`
          INSERT INTO order_lines (order_id, position, sku, name, quantity, currency,
            unit_price_minor, total_minor, tax_minor)
          VALUES (${order.id}, ${position}, ${line.sku}, ${line.name}, ${line.quantity},
            ${line.unitPrice.currency}, ${line.unitPrice.minor}, ${line.total.minor},
            ${line.tax.minor})`,
        { discard: true }
      )
    })

  const missing = (id: Ids.OrderId) =>
    new StoreError.StoreError({ operation: "OrderStore.transition", detail: `No order ${id}` })

  return OrderStore.OrderStore.of({
    create: (order) =>
      Effect.gen(function* () {
        if (mixedCurrencies(order)) {
          return yield* new StoreError.StoreError({
            operation: "OrderStore.create",
            detail: `Order ${order.id} mixes currencies`
          })
        }
        yield* insert(order)
        return Option.getOrElse(yield* load("id", order.id, false), () => order)
      }).pipe(
        sql.withTransaction,
        orStoreError("OrderStore.create"),
        Effect.withSpan("OrderStore.create", { attributes: { order_id: order.id } })
      ),

    get: (id) =>
      load("id", id, false).pipe(
        orStoreError("OrderStore.get"),
        Effect.withSpan("OrderStore.get", { attributes: { order_id: id } })
      ),

    byCart: (cartId) =>
      load("cart", cartId, false).pipe(
        orStoreError("OrderStore.byCart"),
        Effect.withSpan("OrderStore.byCart", { attributes: { cart_id: cartId } })
      ),

    transition: (id, move, now) =>
      Effect.gen(function* () {
        const stored = yield* load("id", id, true)
        if (Option.isNone(stored)) return yield* missing(id)
        const outcome = yield* Either.match(Order.transition(stored.value, move, now), {
          onLeft: Effect.fail,
          onRight: Effect.succeed
        })
        if (outcome._tag === "Changed") {
          const next = outcome.order
          yield* sql`
            UPDATE orders
            SET status = ${next.status}, payment_reference = ${next.paymentReference ?? null},
                erp_reference = ${next.erpReference ?? null}, updated_at = ${next.updatedAt}
            WHERE id = ${id}`
        }
        return outcome
      }).pipe(
        sql.withTransaction,
        orStoreError("OrderStore.transition"),
        Effect.withSpan("OrderStore.transition", {
          attributes: { order_id: id, to: move._tag }
        })
      )
  })
})

/** Provides the PostgreSQL `OrderStore` over a `SqlClient`. */
export const layer: Layer.Layer<OrderStore.OrderStore, never, SqlClient.SqlClient> = Layer.effect(
  OrderStore.OrderStore,
  make
)
