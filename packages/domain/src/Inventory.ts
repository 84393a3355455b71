/**
 * Our reservation ledger on top of the ERP's stock.
 *
 * Available to sell at a location = the ERP's available figure − the units
 * we have promised that the ERP does not know about yet (live holds and
 * committed reservations). A SKU's policy may allow backorders (units
 * promised beyond the ERP's figure, up to a limit) and cap what one cart
 * may hold. `reserve` is atomic: under any interleaving of callers it never
 * promises more than that.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { CartId, LocationId, OrderId, Sku } from "./Ids"
import type { Reservation, StockLevel } from "./Reservation"
import type { StoreError } from "./StoreError"

/** Why a line cannot be held: too little stock, or more than one cart may hold. */
export const OutOfStockReason = Schema.Literal("Stock", "CartLimit")
/** @see OutOfStockReason */
export type OutOfStockReason = typeof OutOfStockReason.Type

/**
 * A line cannot be held. With reason `Stock` (the default), `available` is
 * the units free to promise; with `CartLimit`, the most one cart may hold.
 */
export class OutOfStock extends Schema.TaggedError<OutOfStock>()("OutOfStock", {
  sku: Sku,
  requested: Schema.Int,
  available: Schema.Int,
  reason: Schema.optionalWith(OutOfStockReason, { default: () => "Stock" })
}) {
  override get message(): string {
    return this.reason === "CartLimit"
      ? `At most ${this.available} of ${this.sku} per cart, ${this.requested} requested`
      : `Only ${this.available} of ${this.sku} available, ${this.requested} requested`
  }
}

/** How far one SKU may be promised. */
export interface SkuPolicy {
  /** Units we may promise beyond the ERP's available figure (0: no backorders). */
  readonly backorderLimit: number
  /** The most units of the SKU one cart may hold; no cap when absent. */
  readonly maxPerCart?: number | undefined
}

/** A SKU's policy until one is set: no backorders, no cap per cart. */
export const defaultPolicy: SkuPolicy = { backorderLimit: 0 }

/** One line to reserve. */
export interface ReserveLine {
  readonly sku: Sku
  readonly quantity: number
}

/**
 * Units free to promise of one SKU at one location. Backorders land on the
 * SKU's most preferred location, so its `free` includes the backorder room
 * left; the `free` of a SKU's rows adds up to what one reserve can hold.
 */
export interface Availability {
  readonly sku: Sku
  readonly locationId: LocationId
  readonly erpAvailable: number
  readonly promised: number
  readonly free: number
}

/** The reservation ledger. */
export class Inventory extends Context.Tag("@mercantile/domain/Inventory")<
  Inventory,
  {
    /** Records the ERP's live stock figures; a figure older than the stored one is ignored. */
    readonly recordStock: (levels: ReadonlyArray<StockLevel>) => Effect.Effect<void, StoreError>
    /** Sets a SKU's backorder limit and per-cart cap; later reserves honour them. */
    readonly setPolicy: (sku: Sku, policy: SkuPolicy) => Effect.Effect<void, StoreError>
    /**
     * Holds every line for a cart until `expiresAt`, allocating across
     * locations in their preferred order (backorders on the first), or holds
     * nothing. A cart's existing live holds are replaced, so a retry by the
     * same cart is not blocked by its own hold. A line past the SKU's
     * per-cart cap fails with reason `CartLimit`, even with stock.
     */
    readonly reserve: (request: {
      readonly cartId: CartId
      readonly lines: ReadonlyArray<ReserveLine>
      readonly now: Date
      readonly expiresAt: Date
    }) => Effect.Effect<ReadonlyArray<Reservation>, OutOfStock | StoreError>
    /** Attaches a cart's live holds to an order and marks them committed; expired holds are not committed. */
    readonly commit: (
      cartId: CartId,
      orderId: OrderId,
      now: Date
    ) => Effect.Effect<ReadonlyArray<Reservation>, StoreError>
    /** Releases a cart's holds (or an order's committed reservations once the ERP reflects them). */
    readonly release: (
      owner: { readonly cartId: CartId } | { readonly orderId: OrderId }
    ) => Effect.Effect<number, StoreError>
    /** Expires every hold past its expiry at `now`; returns how many. */
    readonly expire: (now: Date) => Effect.Effect<number, StoreError>
    /** Free units of SKUs per location at `now`. */
    readonly availability: (
      skus: ReadonlyArray<Sku>,
      now: Date
    ) => Effect.Effect<ReadonlyArray<Availability>, StoreError>
  }
>() {}
