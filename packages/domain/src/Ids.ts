/**
 * The shared identifiers. Each is a branded string, so a SKU can never be
 * passed where an order id is expected.
 *
 * The SKU links ERP stock and price to PIM product data; the slug links CMS
 * content to a PIM product.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const id = <B extends string>(
  brand: B,
  description: string,
  pattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
) =>
  Schema.String.pipe(
    Schema.pattern(pattern, {
      message: () => `${description}: 1 to 128 letters, digits, '.', '_', ':' or '-'`
    }),
    Schema.brand(brand),
    Schema.annotations({ identifier: brand, description })
  )

/** A stock keeping unit: the variant that is priced, stocked and sold. */
export const Sku = id("Sku", "A stock keeping unit")
/** @see Sku */
export type Sku = typeof Sku.Type

/** A product (the model a family of SKUs hangs under). */
export const ProductId = id("ProductId", "A product identifier")
/** @see ProductId */
export type ProductId = typeof ProductId.Type

/** The URL segment that names a product and its CMS content. */
export const Slug = id("Slug", "A URL slug", /^[a-z0-9]+(?:-[a-z0-9]+)*$/)
/** @see Slug */
export type Slug = typeof Slug.Type

/** A shopping cart. */
export const CartId = id("CartId", "A cart identifier")
/** @see CartId */
export type CartId = typeof CartId.Type

/** An order: our own reference, sent to the ERP and the Merchant of Record. */
export const OrderId = id("OrderId", "An order identifier")
/** @see OrderId */
export type OrderId = typeof OrderId.Type

/** A stock reservation. */
export const ReservationId = id("ReservationId", "A reservation identifier")
/** @see ReservationId */
export type ReservationId = typeof ReservationId.Type

/** A stock location (a warehouse or a store). */
export const LocationId = id("LocationId", "A stock location identifier")
/** @see LocationId */
export type LocationId = typeof LocationId.Type

/** A customer. */
export const CustomerId = id("CustomerId", "A customer identifier")
/** @see CustomerId */
export type CustomerId = typeof CustomerId.Type

/** A category of the catalog tree. */
export const CategoryCode = id("CategoryCode", "A category code")
/** @see CategoryCode */
export type CategoryCode = typeof CategoryCode.Type

/** The id an upstream system gave one of its events; the key for deduplication. */
export const EventId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.maxLength(256),
  Schema.brand("EventId"),
  Schema.annotations({ identifier: "EventId" })
)
/** @see EventId */
export type EventId = typeof EventId.Type
