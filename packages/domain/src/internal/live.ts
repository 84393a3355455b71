import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Cart from "../Cart"
import { ErpPrices, ErpStock } from "../Erp"
import type { Sku } from "../Ids"
import * as PriceEngine from "../PriceEngine"
import { PricingContext } from "../PricingContext"
import type { StockLevel } from "../Reservation"
import { CommerceSettings } from "../Settings"

/** The pricing context of a cart at `at`, from the storefront's settings. */
export const contextFor = (cart: Cart.Cart, at: Date) =>
  Effect.map(
    CommerceSettings,
    (settings) =>
      new PricingContext({
        currency: cart.currency,
        region: settings.region,
        channel: settings.channel,
        at,
        ...(settings.customerGroup === undefined ? {} : { customerGroup: settings.customerGroup }),
        ...(cart.customerId === undefined ? {} : { customerId: cart.customerId })
      })
  )

/** Units the ERP reports per SKU, summed over locations. */
export const totalsBySku = (levels: ReadonlyArray<StockLevel>): Map<Sku, number> => {
  const totals = new Map<Sku, number>()
  for (const level of levels)
    totals.set(level.sku, (totals.get(level.sku) ?? 0) + Math.max(0, level.available))
  return totals
}

/**
 * Prices a cart from the ERP's live prices and reads its live stock, at the
 * moment of the call: never from a cache.
 */
export const priceLive = (cart: Cart.Cart) =>
  Effect.gen(function* () {
    const settings = yield* CommerceSettings
    const prices = yield* ErpPrices
    const stock = yield* ErpStock
    const now = new Date(yield* Clock.currentTimeMillis)
    const context = yield* contextFor(cart, now)
    const skus = cart.lines.map((line) => line.sku)

    const [lists, levels] = yield* Effect.all([prices.lists(skus, context), stock.levels(skus)], {
      concurrency: 2
    })
    const priced = yield* PriceEngine.price({
      lines: cart.lines,
      context,
      priceLists: lists,
      promotions: settings.promotions,
      codes: cart.promotionCodes,
      tax: settings.tax
    })
    return { priced, levels, now }
  })
