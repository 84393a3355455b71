/**
 * Our reservation ledger on top of the ERP's stock.
 *
 * Available to sell at a location = the ERP's available figure − the units
 * we have promised that the ERP does not know about yet (live holds and
 * committed reservations). `reserve` is atomic: under any interleaving of
 * callers it never promises more than that.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { CartId, LocationId, OrderId, Sku } from "./Ids"
import type { Reservation, StockLevel } from "./Reservation"
import type { StoreError } from "./StoreError"

/** Not enough stock to reserve a line. */
export class OutOfStock extends Schema.TaggedError<OutOfStock>()("OutOfStock", {
  sku: Sku,
  requested: Schema.Int,
  available: Schema.Int
}) {
  override get message(): string {
    return `Only ${this.available} of ${this.sku} available, ${this.requested} requested`
  }
}

/** One line to reserve. */
export interface ReserveLine {
  readonly sku: Sku
  readonly quantity: number
}

/** Units free to promise of one SKU at one location. */
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
    /**
     * Holds every line for a cart until `expiresAt`, allocating across
     * locations in their preferred order, or holds nothing. A cart's existing
     * live holds are replaced, so a retry by the same cart is not blocked by
     * its own hold.
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
