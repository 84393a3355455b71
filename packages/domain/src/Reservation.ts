/**
 * Stock reservations: the units we have promised on top of what the ERP reports.
 *
 * A reservation is `Held` from checkout until it expires, is released, or its
 * payment completes; then it is `Committed` until the ERP reflects the sale.
 * `Released` and `Expired` are final. An expired hold can never become an
 * order.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CartId, LocationId, OrderId, ReservationId, Sku } from "./Ids"

/** The life of a reservation. */
export const ReservationStatus = Schema.Literal("Held", "Committed", "Released", "Expired")
/** @see ReservationStatus */
export type ReservationStatus = typeof ReservationStatus.Type

/** Units of one SKU at one location, promised to one cart or order. */
export class Reservation extends Schema.Class<Reservation>("Reservation")({
  id: ReservationId,
  cartId: CartId,
  orderId: Schema.optional(OrderId),
  sku: Sku,
  locationId: LocationId,
  quantity: Schema.Int.pipe(Schema.positive()),
  status: ReservationStatus,
  expiresAt: Schema.DateFromSelf
}) {}

/** Stock of one SKU at one location, as the ERP reports it. */
export class StockLevel extends Schema.Class<StockLevel>("StockLevel")({
  sku: Sku,
  locationId: LocationId,
  /** Units the ERP says it can sell (on hand less what it has already allocated). */
  available: Schema.Int,
  /** The ERP's version of this figure (a timestamp or counter), to order updates. */
  version: Schema.optional(Schema.BigIntFromSelf)
}) {}

/** What happens to a hold whose payment failed. */
export const PaymentFailurePolicy = Schema.Literal("ReleaseAtOnce", "KeepUntilExpiry")
/** @see PaymentFailurePolicy */
export type PaymentFailurePolicy = typeof PaymentFailurePolicy.Type

/** True when a move from `from` to `to` is allowed. Moving to the same status is allowed (idempotent). */
export const canMove = (from: ReservationStatus, to: ReservationStatus): boolean => {
  if (from === to) return true
  switch (from) {
    case "Held":
      return true
    case "Committed":
      return to === "Released"
    case "Released":
    case "Expired":
      return false
  }
}
