/**
 * The reservation ledger in memory, with the same rules as the database:
 * a reserve is all or nothing, allocates across locations in their
 * preferred order, and never promises more than the ERP has free plus the
 * SKU's backorder limit, nor more to one cart than the SKU's cap.
 *
 * @since 0.1.0
 */
import { Ids, Inventory as Port, Reservation, StoreError } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { MemoryDb } from "./Transactor"
import type { State, StockRow } from "./Transactor"

/** How the memory ledger allocates. */
export interface Options {
  /** Locations to draw from first, most preferred first; the rest follow by id. */
  readonly locationOrder?: ReadonlyArray<Ids.LocationId>
}

type Res = Reservation.Reservation

/**
 * The memory state with the SKU policies beside it. `State` belongs to the
 * memory database; the policies ride along in it so that a unit of work
 * that fails rolls them back with everything else.
 */
type LedgerState = State & { readonly policies?: ReadonlyMap<string, Port.SkuPolicy> }

const policyOf = (state: State, sku: string): Port.SkuPolicy =>
  (state as LedgerState).policies?.get(sku) ?? Port.defaultPolicy

/**
 * What a SKU's rows (in preferred order) can still give: each row's units
 * below the ERP's figure, and the backorder room the policy leaves once
 * every row's overdraft is counted. Backorders land on the first row.
 */
const headroom = (rows: ReadonlyArray<StockRow>, policy: Port.SkuPolicy) => {
  const free = rows.map((row) => Math.max(0, row.erpAvailable - row.promised))
  const over = rows.reduce((acc, row) => acc + Math.max(0, row.promised - row.erpAvailable), 0)
  const room = rows.length === 0 ? 0 : Math.max(0, policy.backorderLimit - over)
  return { free, room, total: free.reduce((a, b) => a + b, 0) + room }
}

const invalid = (detail: string, operation = "Inventory.reserve") =>
  new StoreError.StoreError({ operation, detail })

const stockKey = (sku: string, locationId: string) => `${sku}@${locationId}`

const isLiveAt = (reservation: Res, now: Date) =>
  reservation.status === "Held" && reservation.expiresAt.getTime() > now.getTime()

/** Moves reservations to `status`, giving their units back to the stock rows. */
const settle = (
  state: State,
  chosen: ReadonlyArray<Res>,
  status: "Released" | "Expired"
): State => {
  const stock = new Map(state.stock)
  const reservations = new Map(state.reservations)
  for (const reservation of chosen) {
    reservations.set(reservation.id, new Reservation.Reservation({ ...reservation, status }))
    const key = stockKey(reservation.sku, reservation.locationId)
    const row = stock.get(key)
    if (row !== undefined) stock.set(key, { ...row, promised: row.promised - reservation.quantity })
  }
  return { ...state, stock, reservations }
}

const heldPast = (state: State, now: Date, skus?: ReadonlySet<string>) =>
  [...state.reservations.values()].filter(
    (r) =>
      r.status === "Held" &&
      r.expiresAt.getTime() <= now.getTime() &&
      (skus === undefined || skus.has(r.sku))
  )

/** Builds the memory `Inventory`. */
export const make = (options: Options = {}) =>
  Effect.map(MemoryDb, (db) => {
    const order = options.locationOrder ?? []
    const rank = (locationId: string) => {
      const index = order.indexOf(locationId as Ids.LocationId)
      return index === -1 ? order.length : index
    }
    const byPreference = (a: StockRow, b: StockRow) =>
      rank(a.locationId) - rank(b.locationId) || (a.locationId < b.locationId ? -1 : 1)
    const rowsOf = (state: State, sku: string) =>
      [...state.stock.values()].filter((row) => row.sku === sku).sort(byPreference)

    return Port.Inventory.of({
      recordStock: (levels) =>
        db.run((state) => {
          const stock = new Map(state.stock)
          for (const level of levels) {
            const key = stockKey(level.sku, level.locationId)
            const row = stock.get(key)
            const older =
              row?.erpVersion !== undefined &&
              level.version !== undefined &&
              level.version < row.erpVersion
            if (older) continue
            stock.set(key, {
              sku: level.sku,
              locationId: level.locationId,
              erpAvailable: level.available,
              erpVersion: level.version ?? row?.erpVersion,
              promised: row?.promised ?? 0
            })
          }
          return Either.right([undefined, { ...state, stock }])
        }),

      setPolicy: (sku, policy) =>
        db.run((state) => {
          const { backorderLimit, maxPerCart } = policy
          if (!Number.isInteger(backorderLimit) || backorderLimit < 0) {
            return Either.left(
              invalid("backorderLimit must be a whole number", "Inventory.setPolicy")
            )
          }
          if (maxPerCart !== undefined && (!Number.isInteger(maxPerCart) || maxPerCart < 1)) {
            return Either.left(
              invalid("maxPerCart must be a positive whole number", "Inventory.setPolicy")
            )
          }
          const policies = new Map((state as LedgerState).policies)
          policies.set(sku, { backorderLimit, maxPerCart })
          const next: LedgerState = { ...state, policies }
          return Either.right([undefined, next])
        }),

      reserve: ({ cartId, lines, now, expiresAt }) =>
        db.run<ReadonlyArray<Reservation.Reservation>, Port.OutOfStock | StoreError.StoreError>(
          (initial) => {
            const wanted = new Map<Ids.Sku, number>()
            for (const line of lines) {
              if (!Number.isInteger(line.quantity) || line.quantity < 1) {
                return Either.left(
                  invalid(`Quantity of ${line.sku} must be a positive whole number`)
                )
              }
              wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity)
            }

            const stale = heldPast(initial, now, new Set(wanted.keys()))
            const expired = settle(initial, stale, "Expired")
            const own = [...expired.reservations.values()].filter(
              (r) => r.cartId === cartId && r.status === "Held"
            )
            let state = settle(expired, own, "Released")

            const made: Array<Res> = []
            const stock = new Map(state.stock)
            const reservations = new Map(state.reservations)
            let sequence = state.sequence
            for (const [sku, quantity] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
              const policy = policyOf(state, sku)
              if (policy.maxPerCart !== undefined && quantity > policy.maxPerCart) {
                return Either.left(
                  new Port.OutOfStock({
                    sku,
                    requested: quantity,
                    available: policy.maxPerCart,
                    reason: "CartLimit"
                  })
                )
              }
              const rows = rowsOf(state, sku)
              const { free, total } = headroom(rows, policy)
              if (total < quantity) {
                return Either.left(
                  new Port.OutOfStock({ sku, requested: quantity, available: total })
                )
              }
              const takes = free.map((units, n) => {
                const before = free.slice(0, n).reduce((a, b) => a + b, 0)
                return Math.min(units, Math.max(0, quantity - before))
              })
              takes[0] = (takes[0] ?? 0) + Math.max(0, quantity - free.reduce((a, b) => a + b, 0))
              rows.forEach((row, n) => {
                const take = takes[n] ?? 0
                if (take === 0) return
                sequence += 1
                const reservation = new Reservation.Reservation({
                  id: Ids.ReservationId.make(`res-${sequence}`),
                  cartId,
                  sku,
                  locationId: Ids.LocationId.make(row.locationId),
                  quantity: take,
                  status: "Held",
                  expiresAt
                })
                made.push(reservation)
                reservations.set(reservation.id, reservation)
                stock.set(stockKey(sku, row.locationId), { ...row, promised: row.promised + take })
              })
            }
            state = { ...state, stock, reservations, sequence }
            return Either.right([made, state])
          }
        ),

      commit: (cartId, orderId, now) =>
        db.run((state) => {
          const reservations = new Map(state.reservations)
          const committed: Array<Res> = []
          for (const r of state.reservations.values()) {
            if (r.cartId !== cartId) continue
            if (r.status === "Committed" && r.orderId === orderId) committed.push(r)
            if (!isLiveAt(r, now)) continue
            const next = new Reservation.Reservation({ ...r, orderId, status: "Committed" })
            reservations.set(r.id, next)
            committed.push(next)
          }
          return Either.right([committed, { ...state, reservations }])
        }),

      release: (owner) =>
        db.run((state) => {
          const chosen = [...state.reservations.values()].filter((r) =>
            "cartId" in owner
              ? r.cartId === owner.cartId && r.status === "Held"
              : r.orderId === owner.orderId && (r.status === "Committed" || r.status === "Held")
          )
          return Either.right([chosen.length, settle(state, chosen, "Released")])
        }),

      expire: (now) =>
        db.run((state) => {
          const chosen = heldPast(state, now)
          return Either.right([chosen.length, settle(state, chosen, "Expired")])
        }),

      availability: (skus, now) =>
        Effect.map(db.read, (state) =>
          [...new Set(skus)].flatMap((sku) => {
            const lapsed = heldPast(state, now, new Set([sku]))
            const rows = rowsOf(state, sku).map((row) => ({
              ...row,
              promised:
                row.promised -
                lapsed
                  .filter((r) => r.locationId === row.locationId)
                  .reduce((acc, r) => acc + r.quantity, 0)
            }))
            const { free, room } = headroom(rows, policyOf(state, sku))
            return rows.map((row, n): Port.Availability => ({
              sku,
              locationId: Ids.LocationId.make(row.locationId),
              erpAvailable: row.erpAvailable,
              promised: row.promised,
              free: (free[n] ?? 0) + (n === 0 ? room : 0)
            }))
          })
        )
    })
  })

/** Provides the memory `Inventory` over a `MemoryDb`. */
export const layer = (options: Options = {}): Layer.Layer<Port.Inventory, never, MemoryDb> =>
  Layer.effect(Port.Inventory, make(options))
