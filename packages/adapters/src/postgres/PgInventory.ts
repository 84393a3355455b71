/**
 * The reservation ledger in PostgreSQL.
 *
 * `stock` holds, per (sku, location), the ERP's figure and what we have
 * promised on it (live holds and committed reservations); `sku_policy` a
 * SKU's backorder limit and per-cart cap. Every write that moves
 * `promised` first locks the stock rows it touches in (sku, location)
 * order, so writers queue instead of deadlocking.
 *
 * A reserve is one call of the `mercantile_reserve` function (migration
 * 0002): one round trip, and in the common case the hot stock row is
 * locked by its last statement, a conditional `UPDATE`, until the commit.
 * It changes nothing when it refuses, so it needs no transaction of its
 * own and may run inside a caller's.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import { Ids, Inventory, Reservation, StoreError } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { orStoreError } from "./internal/errors"

/** How the ledger allocates. */
export interface Options {
  /** Locations to draw from first, most preferred first; the rest follow by id. */
  readonly locationOrder?: ReadonlyArray<Ids.LocationId>
}

const StockRow = Schema.Struct({
  sku: Schema.String,
  location_id: Schema.String,
  erp_available: Schema.Int,
  promised: Schema.Int
})
type StockRow = typeof StockRow.Type

const ReservationRow = Schema.Struct({
  id: Ids.ReservationId,
  cart_id: Ids.CartId,
  order_id: Schema.NullOr(Ids.OrderId),
  sku: Ids.Sku,
  location_id: Ids.LocationId,
  quantity: Schema.Int,
  status: Reservation.ReservationStatus,
  expires_at: Schema.DateFromSelf
})

const OutcomeRow = Schema.Struct({
  outcome: Schema.Literal("Held", "Stock", "CartLimit"),
  id: Schema.NullOr(Ids.ReservationId),
  sku: Ids.Sku,
  location_id: Schema.NullOr(Ids.LocationId),
  quantity: Schema.Int,
  available: Schema.NullOr(Schema.Int)
})

const PolicyRow = Schema.Struct({
  sku: Schema.String,
  backorder_limit: Schema.Int
})

const decodeStock = Schema.decodeUnknown(Schema.Array(StockRow))
const decodeOutcome = Schema.decodeUnknown(Schema.Array(OutcomeRow))
const decodePolicies = Schema.decodeUnknown(Schema.Array(PolicyRow))
const decodeReservations = Schema.decodeUnknown(Schema.Array(ReservationRow))

const toReservation = (row: typeof ReservationRow.Type) =>
  new Reservation.Reservation({
    id: row.id,
    cartId: row.cart_id,
    sku: row.sku,
    locationId: row.location_id,
    quantity: row.quantity,
    status: row.status,
    expiresAt: row.expires_at,
    ...(row.order_id === null ? {} : { orderId: row.order_id })
  })

/** The first key of the per-cart advisory lock (an arbitrary constant), as in `mercantile_reserve`. */
const cartLockClass = 1296912716

const invalidPolicy = (detail: string) =>
  new StoreError.StoreError({ operation: "Inventory.setPolicy", detail })

const invalid = (sku: string) =>
  new StoreError.StoreError({
    operation: "Inventory.reserve",
    detail: `Quantity of ${sku} must be a positive whole number`
  })

/** Builds the PostgreSQL `Inventory`. */
export const make = (options: Options = {}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const order = options.locationOrder ?? []
    const preference = JSON.stringify(order)

    const rank = (locationId: string) => {
      const index = order.indexOf(locationId as Ids.LocationId)
      return index === -1 ? order.length : index
    }
    const byPreference = (a: StockRow, b: StockRow) =>
      rank(a.location_id) - rank(b.location_id) || (a.location_id < b.location_id ? -1 : 1)

    /** Locks the stock rows of reservations matching `where`, in key order. */
    const lockFor = (where: Fragment) => sql`
      SELECT 1 FROM stock
      WHERE (sku, location_id) IN (SELECT sku, location_id FROM reservations WHERE ${where})
      ORDER BY sku, location_id
      FOR UPDATE`

    /**
     * Queues this transaction behind any other about the same cart (the
     * reserve function takes the same lock), so a cart's holds never move
     * while a reserve counts them.
     */
    const lockCart = (cartId: Ids.CartId) =>
      sql`SELECT pg_advisory_xact_lock(${cartLockClass}, hashtext(${cartId}))`

    /** Moves matching reservations to `status` and gives their units back; returns how many. */
    const settle = (where: Fragment, status: "Released" | "Expired") =>
      Effect.gen(function* () {
        yield* lockFor(where)
        const [row] = yield* sql<{ moved: number }>`
          WITH moved AS (
            UPDATE reservations SET status = ${status}, updated_at = now()
            WHERE ${where}
            RETURNING sku, location_id, quantity
          ), returned AS (
            UPDATE stock SET promised = stock.promised - back.units, updated_at = now()
            FROM (
              SELECT sku, location_id, sum(quantity) AS units FROM moved GROUP BY sku, location_id
            ) AS back
            WHERE stock.sku = back.sku AND stock.location_id = back.location_id
            RETURNING 1
          )
          SELECT count(*)::int AS moved FROM moved`
        return row?.moved ?? 0
      })

    return Inventory.Inventory.of({
      recordStock: (levels) =>
        Effect.forEach(
          [...levels].sort((a, b) =>
            `${a.sku}\u0000${a.locationId}` < `${b.sku}\u0000${b.locationId}` ? -1 : 1
          ),
          (level) => sql`
            INSERT INTO stock (sku, location_id, erp_available, erp_version)
            VALUES (${level.sku}, ${level.locationId}, ${level.available}, ${level.version ?? null})
            ON CONFLICT (sku, location_id) DO UPDATE
            SET erp_available = EXCLUDED.erp_available,
                erp_version = COALESCE(EXCLUDED.erp_version, stock.erp_version),
                updated_at = now()
            WHERE stock.erp_version IS NULL OR EXCLUDED.erp_version IS NULL
              OR EXCLUDED.erp_version >= stock.erp_version`,
          { discard: true }
        ).pipe(
          sql.withTransaction,
          orStoreError("Inventory.recordStock"),
          Effect.withSpan("Inventory.recordStock", { attributes: { levels: levels.length } })
        ),

      setPolicy: (sku, policy) =>
        Effect.gen(function* () {
          const { backorderLimit, maxPerCart } = policy
          if (!Number.isInteger(backorderLimit) || backorderLimit < 0) {
            return yield* invalidPolicy("backorderLimit must be a whole number")
          }
          if (maxPerCart !== undefined && (!Number.isInteger(maxPerCart) || maxPerCart < 1)) {
            return yield* invalidPolicy("maxPerCart must be a positive whole number")
          }
          yield* sql`
            INSERT INTO sku_policy (sku, backorder_limit, max_per_cart)
            VALUES (${sku}, ${backorderLimit}, ${maxPerCart ?? null})
            ON CONFLICT (sku) DO UPDATE
            SET backorder_limit = EXCLUDED.backorder_limit,
                max_per_cart = EXCLUDED.max_per_cart,
                updated_at = now()`
        }).pipe(
          orStoreError("Inventory.setPolicy"),
          Effect.withSpan("Inventory.setPolicy", { attributes: { sku } })
        ),

      reserve: ({ cartId, lines, now, expiresAt }) =>
        Effect.gen(function* () {
          const wanted = new Map<Ids.Sku, number>()
          for (const line of lines) {
            if (!Number.isInteger(line.quantity) || line.quantity < 1) {
              return yield* invalid(line.sku)
            }
            wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity)
          }
          const request = JSON.stringify([...wanted].map(([sku, quantity]) => ({ sku, quantity })))

          const rows = yield* decodeOutcome(
            yield* sql`
              SELECT outcome, id, sku, location_id, quantity, available
              FROM mercantile_reserve(
                ${cartId}, ${request}::jsonb, ${now}, ${expiresAt}, ${preference}::jsonb
              )`
          )
          const refusal = rows.find((row) => row.outcome !== "Held")
          if (refusal !== undefined) {
            return yield* new Inventory.OutOfStock({
              sku: refusal.sku,
              requested: refusal.quantity,
              available: refusal.available ?? 0,
              reason: refusal.outcome === "CartLimit" ? "CartLimit" : "Stock"
            })
          }
          return rows
            .flatMap((row) =>
              row.id === null || row.location_id === null
                ? []
                : [
                    new Reservation.Reservation({
                      id: row.id,
                      cartId,
                      sku: row.sku,
                      locationId: row.location_id,
                      quantity: row.quantity,
                      status: "Held",
                      expiresAt
                    })
                  ]
            )
            .sort(
              (a, b) =>
                (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0) ||
                rank(a.locationId) - rank(b.locationId) ||
                (a.locationId < b.locationId ? -1 : 1)
            )
        }).pipe(
          orStoreError("Inventory.reserve"),
          Effect.tapErrorTag("OutOfStock", (error) =>
            Effect.logDebug("Out of stock").pipe(
              Effect.annotateLogs({ sku: error.sku, cart_id: cartId, reason: error.reason })
            )
          ),
          Effect.withSpan("Inventory.reserve", { attributes: { cart_id: cartId } })
        ),

      commit: (cartId, orderId, now) =>
        Effect.gen(function* () {
          yield* lockCart(cartId)
          const before = yield* sql`
            SELECT id, cart_id, order_id, sku, location_id, quantity, status, expires_at
            FROM reservations
            WHERE cart_id = ${cartId} AND order_id = ${orderId} AND status = 'Committed'`
          const moved = yield* sql`
            UPDATE reservations
            SET status = 'Committed', order_id = ${orderId}, updated_at = ${now}
            WHERE cart_id = ${cartId} AND status = 'Held' AND expires_at > ${now}
            RETURNING id, cart_id, order_id, sku, location_id, quantity, status, expires_at`
          return (yield* decodeReservations([...before, ...moved])).map(toReservation)
        }).pipe(
          sql.withTransaction,
          orStoreError("Inventory.commit"),
          Effect.withSpan("Inventory.commit", {
            attributes: { cart_id: cartId, order_id: orderId }
          })
        ),

      release: (owner) =>
        ("cartId" in owner
          ? Effect.zipRight(
              lockCart(owner.cartId),
              settle(sql`cart_id = ${owner.cartId} AND status = 'Held'`, "Released")
            )
          : settle(sql`order_id = ${owner.orderId} AND status IN ('Held', 'Committed')`, "Released")
        ).pipe(
          sql.withTransaction,
          orStoreError("Inventory.release"),
          Effect.withSpan("Inventory.release", {
            attributes: "cartId" in owner ? { cart_id: owner.cartId } : { order_id: owner.orderId }
          })
        ),

      expire: (now) =>
        settle(sql`status = 'Held' AND expires_at <= ${now}`, "Expired").pipe(
          sql.withTransaction,
          Effect.tap((count) =>
            count === 0
              ? Effect.void
              : Effect.logInfo("Reservations expired").pipe(
                  Effect.annotateLogs({ expired: count, at: now.toISOString() })
                )
          ),
          orStoreError("Inventory.expire"),
          Effect.withSpan("Inventory.expire")
        ),

      availability: (skus, now) =>
        Effect.gen(function* () {
          const unique = [...new Set(skus)]
          if (unique.length === 0) return []
          const rows = yield* decodeStock(
            yield* sql`
              SELECT s.sku, s.location_id, s.erp_available,
                     (s.promised - COALESCE(lapsed.units, 0))::int AS promised
              FROM stock s
              LEFT JOIN (
                SELECT sku, location_id, sum(quantity) AS units FROM reservations
                WHERE status = 'Held' AND expires_at <= ${now} AND sku IN ${sql.in(unique)}
                GROUP BY sku, location_id
              ) AS lapsed USING (sku, location_id)
              WHERE s.sku IN ${sql.in(unique)}`
          )
          const policies = yield* decodePolicies(
            yield* sql`
              SELECT sku, backorder_limit FROM sku_policy WHERE sku IN ${sql.in(unique)}`
          )
          return unique.flatMap((sku) => {
            const mine = rows.filter((row) => row.sku === sku).sort(byPreference)
            const limit = policies.find((p) => p.sku === sku)?.backorder_limit ?? 0
            const over = mine.reduce(
              (acc, row) => acc + Math.max(0, row.promised - row.erp_available),
              0
            )
            const room = Math.max(0, limit - over)
            return mine.map((row, n): Inventory.Availability => ({
              sku,
              locationId: Ids.LocationId.make(row.location_id),
              erpAvailable: row.erp_available,
              promised: row.promised,
              free: Math.max(0, row.erp_available - row.promised) + (n === 0 ? room : 0)
            }))
          })
        }).pipe(orStoreError("Inventory.availability"), Effect.withSpan("Inventory.availability"))
    })
  })

/** Provides the PostgreSQL `Inventory` over a `SqlClient`. */
export const layer = (
  options: Options = {}
): Layer.Layer<Inventory.Inventory, never, SqlClient.SqlClient> =>
  Layer.effect(Inventory.Inventory, make(options))
