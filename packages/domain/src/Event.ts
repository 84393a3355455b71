/**
 * What upstream systems tell us. Every event carries the id its source gave
 * it (for deduplication) and a version or timestamp (so a late event never
 * overwrites a newer fact).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EventId, LocationId, OrderId, Sku, Slug } from "./Ids"
import * as Money from "./Money"

/** The system an event came from. */
export const Source = Schema.Literal("erp", "pim", "cms", "payments")
/** @see Source */
export type Source = typeof Source.Type

const envelope = {
  /** The id the source gave this event. */
  eventId: EventId,
  source: Source,
  /** When the fact became true at the source; orders events of one subject. */
  occurredAt: Schema.DateFromSelf
}

/** The ERP's stock for a SKU changed. `available` is absent when the source only says that it changed. */
export class StockChanged extends Schema.TaggedClass<StockChanged>()("StockChanged", {
  ...envelope,
  sku: Sku,
  locationId: Schema.optional(LocationId),
  available: Schema.optional(Schema.Int)
}) {}

/** The ERP's price for a SKU changed. */
export class PriceChanged extends Schema.TaggedClass<PriceChanged>()("PriceChanged", {
  ...envelope,
  sku: Sku
}) {}

/** The PIM's data for a product (and so some SKUs) changed. */
export class ProductChanged extends Schema.TaggedClass<ProductChanged>()("ProductChanged", {
  ...envelope,
  skus: Schema.Array(Sku),
  slug: Schema.optional(Slug)
}) {}

/** The CMS's content for a slug changed. */
export class ContentChanged extends Schema.TaggedClass<ContentChanged>()("ContentChanged", {
  ...envelope,
  slug: Slug
}) {}

/** The ERP's status of an order changed. */
export class OrderStatusChanged extends Schema.TaggedClass<OrderStatusChanged>()(
  "OrderStatusChanged",
  {
    ...envelope,
    orderId: OrderId,
    erpReference: Schema.String,
    status: Schema.String
  }
) {}

/** The Merchant of Record collected payment for an order. */
export class PaymentCompleted extends Schema.TaggedClass<PaymentCompleted>()("PaymentCompleted", {
  ...envelope,
  orderId: OrderId,
  paymentReference: Schema.String,
  amount: Money.Money
}) {}

/** A payment attempt for an order failed. */
export class PaymentFailed extends Schema.TaggedClass<PaymentFailed>()("PaymentFailed", {
  ...envelope,
  orderId: OrderId,
  paymentReference: Schema.String,
  reason: Schema.String
}) {}

/** Money was (or is being) given back for an order. */
export class PaymentRefunded extends Schema.TaggedClass<PaymentRefunded>()("PaymentRefunded", {
  ...envelope,
  orderId: OrderId,
  paymentReference: Schema.String,
  amount: Money.Money
}) {}

/** Any upstream event. */
export const UpstreamEvent = Schema.Union(
  StockChanged,
  PriceChanged,
  ProductChanged,
  ContentChanged,
  OrderStatusChanged,
  PaymentCompleted,
  PaymentFailed,
  PaymentRefunded
)
/** @see UpstreamEvent */
export type UpstreamEvent = typeof UpstreamEvent.Type

/** The key under which events about one thing are ordered ("stock:SKU-1"). */
export const subject = (event: UpstreamEvent): string => {
  switch (event._tag) {
    case "StockChanged":
      return `stock:${event.sku}${event.locationId === undefined ? "" : `@${event.locationId}`}`
    case "PriceChanged":
      return `price:${event.sku}`
    case "ProductChanged":
      return `product:${[...event.skus].sort().join(",")}`
    case "ContentChanged":
      return `content:${event.slug}`
    case "OrderStatusChanged":
      return `erp-order:${event.orderId}`
    case "PaymentCompleted":
    case "PaymentFailed":
    case "PaymentRefunded":
      return `payment:${event.orderId}`
  }
}
