/**
 * The reservation ledger in PostgreSQL.
 *
 * `stock` holds, per (sku, location), the ERP's figure and what we have
 * promised on it (live holds and committed reservations). Every write that
 * moves `promised` first locks the stock rows it touches in (sku, location)
 * order, so writers queue instead of deadlocking, and each increase is a
 * conditional `UPDATE … WHERE erp_available - promised >= n`, so no
 * interleaving of callers can promise more than the ERP has free.
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

const decodeStock = Schema.decodeUnknown(Schema.Array(StockRow))
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

    const stockOf = (skus: ReadonlyArray<string>, lock: boolean) =>
      skus.length === 0
        ? Effect.succeed([])
        : Effect.flatMap(
            sql`SELECT sku, location_id, erp_available, promised FROM stock
                WHERE sku IN ${sql.in(skus)}
                ORDER BY sku, location_id ${sql.literal(lock ? "FOR UPDATE" : "")}`,
            decodeStock
          )

    const allocate = (
      cartId: Ids.CartId,
      sku: Ids.Sku,
      quantity: number,
      rows: ReadonlyArray<StockRow>,
      expiresAt: Date
    ) =>
      Effect.gen(function* () {
        const candidates = rows.filter((row) => row.sku === sku).sort(byPreference)
        const free = candidates.reduce(
          (acc, row) => acc + Math.max(0, row.erp_available - row.promised),
          0
        )
        if (free < quantity) {
          return yield* new Inventory.OutOfStock({ sku, requested: quantity, available: free })
        }

        const made: Array<Reservation.Reservation> = []
        let left = quantity
        for (const row of candidates) {
          const take = Math.min(left, Math.max(0, row.erp_available - row.promised))
          if (take === 0) continue
          const promised = yield* sql`
            UPDATE stock SET promised = promised + ${take}, updated_at = now()
            WHERE sku = ${sku} AND location_id = ${row.location_id}
              AND erp_available - promised >= ${take}
            RETURNING promised`
          if (promised.length === 0) {
            return yield* Effect.dieMessage(`Stock of ${sku} moved while locked`)
          }
          const id = Ids.ReservationId.make(`res-${crypto.randomUUID()}`)
          const inserted = yield* sql`
            INSERT INTO reservations (id, cart_id, sku, location_id, quantity, status, expires_at)
            VALUES (${id}, ${cartId}, ${sku}, ${row.location_id}, ${take}, 'Held', ${expiresAt})
            RETURNING id, cart_id, order_id, sku, location_id, quantity, status, expires_at`
          made.push(...(yield* decodeReservations(inserted)).map(toReservation))
          left -= take
          if (left === 0) break
        }
        return made
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

      reserve: ({ cartId, lines, now, expiresAt }) =>
        Effect.gen(function* () {
          const wanted = new Map<Ids.Sku, number>()
          for (const line of lines) {
            if (!Number.isInteger(line.quantity) || line.quantity < 1) {
              return yield* invalid(line.sku)
            }
            wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity)
          }
          const skus = [...wanted.keys()].sort()
          const own = yield* sql<{ sku: string }>`
            SELECT DISTINCT sku FROM reservations WHERE cart_id = ${cartId} AND status = 'Held'`

          yield* stockOf([...new Set([...skus, ...own.map((r) => r.sku)])].sort(), true)
          if (skus.length > 0) {
            yield* settle(
              sql`status = 'Held' AND expires_at <= ${now} AND sku IN ${sql.in(skus)}`,
              "Expired"
            )
          }
          yield* settle(sql`cart_id = ${cartId} AND status = 'Held'`, "Released")

          const rows = yield* stockOf(skus, false)
          const made: Array<Reservation.Reservation> = []
          for (const sku of skus) {
            made.push(...(yield* allocate(cartId, sku, wanted.get(sku)!, rows, expiresAt)))
          }
          return made
        }).pipe(
          sql.withTransaction,
          orStoreError("Inventory.reserve"),
          Effect.tapErrorTag("OutOfStock", (error) =>
            Effect.logDebug("Out of stock").pipe(
              Effect.annotateLogs({ sku: error.sku, cart_id: cartId })
            )
          ),
          Effect.withSpan("Inventory.reserve", { attributes: { cart_id: cartId } })
        ),

      commit: (cartId, orderId, now) =>
        Effect.gen(function* () {
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
        settle(
          "cartId" in owner
            ? sql`cart_id = ${owner.cartId} AND status = 'Held'`
            : sql`order_id = ${owner.orderId} AND status IN ('Held', 'Committed')`,
          "Released"
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
          return unique.flatMap((sku) =>
            rows
              .filter((row) => row.sku === sku)
              .sort(byPreference)
              .map((row): Inventory.Availability => ({
                sku,
                locationId: Ids.LocationId.make(row.location_id),
                erpAvailable: row.erp_available,
                promised: row.promised,
                free: Math.max(0, row.erp_available - row.promised)
              }))
          )
        }).pipe(orStoreError("Inventory.availability"), Effect.withSpan("Inventory.availability"))
    })
  })

/** Provides the PostgreSQL `Inventory` over a `SqlClient`. */
export const layer = (
  options: Options = {}
): Layer.Layer<Inventory.Inventory, never, SqlClient.SqlClient> =>
  Layer.effect(Inventory.Inventory, make(options))

// TODO(backorder): add a per-SKU backorder limit and a per-cart quantity cap (a `sku_policy`
// table read by `allocate`) when the Inventory port gains a way to set them.
