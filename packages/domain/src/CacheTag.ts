/**
 * Cache tags: the few keys each upstream event invalidates. An event about one
 * SKU invalidates that SKU's entries and never the whole catalog.
 *
 * @since 0.1.0
 */
import type { UpstreamEvent } from "./Event"
import type { Sku, Slug } from "./Ids"

/** Every cached figure of one SKU: its product data, price and stock. */
export const product = (sku: Sku): string => `sku:${sku}`
/** The price shown for one SKU. */
export const price = (sku: Sku): string => `price:${sku}`
/** The stock shown for one SKU. */
export const stock = (sku: Sku): string => `stock:${sku}`
/** The CMS content of one slug. */
export const content = (slug: Slug): string => `content:${slug}`
/** A listing page; invalidated when a product in it changes. */
export const listing = (category: string): string => `listing:${category}`

/** The tags one event invalidates, without duplicates. */
export const forEvent = (event: UpstreamEvent): ReadonlyArray<string> => {
  switch (event._tag) {
    case "StockChanged":
      return [stock(event.sku)]
    case "PriceChanged":
      return [price(event.sku)]
    case "ProductChanged":
      return [
        ...new Set([
          ...event.skus.map(product),
          ...(event.slug === undefined ? [] : [content(event.slug)])
        ])
      ]
    case "ContentChanged":
      return [content(event.slug)]
    case "OrderStatusChanged":
    case "PaymentCompleted":
    case "PaymentFailed":
    case "PaymentRefunded":
      return []
  }
}
