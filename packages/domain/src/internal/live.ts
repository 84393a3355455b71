import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Cart from "../Cart"
import { ErpPrices, ErpStock } from "../Erp"
import type { Sku } from "../Ids"
import type { Availability } from "../Inventory"
import type { PriceList } from "../PriceList"
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
  for (const level of levels) {
    totals.set(level.sku, (totals.get(level.sku) ?? 0) + Math.max(0, level.available))
  }
  return totals
}

/** What the ERP says about a cart's SKUs right now. */
export interface LiveFacts {
  readonly cart: Cart.Cart
  readonly context: PricingContext
  readonly lists: ReadonlyArray<PriceList>
  readonly levels: ReadonlyArray<StockLevel>
  readonly now: Date
}

/** Reads the ERP's live prices and stock for a cart's SKUs, at the moment of the call: never a cache. */
export const read = (cart: Cart.Cart) =>
  Effect.gen(function* () {
    const prices = yield* ErpPrices
    const stock = yield* ErpStock
    const now = new Date(yield* Clock.currentTimeMillis)
    const context = yield* contextFor(cart, now)
    const skus = cart.lines.map((line) => line.sku)

    const [lists, levels] = yield* Effect.all([prices.lists(skus, context), stock.levels(skus)], {
      concurrency: 2
    })
    return { cart, context, lists, levels, now } satisfies LiveFacts
  })

/** Prices a cart from live facts. */
export const price = (facts: LiveFacts) =>
  Effect.flatMap(CommerceSettings, (settings) =>
    PriceEngine.price({
      lines: facts.cart.lines,
      context: facts.context,
      priceLists: facts.lists,
      promotions: settings.promotions,
      codes: facts.cart.promotionCodes,
      tax: settings.tax
    })
  )

/** Reads live facts and prices the cart from them. */
export const priceLive = (cart: Cart.Cart) =>
  Effect.gen(function* () {
    const facts = yield* read(cart)
    const priced = yield* price(facts)
    return { priced, levels: facts.levels, now: facts.now }
  })

/**
 * Units of a SKU free to promise now: the ERP's live figure, less what we
 * promised, plus any backorder room the ledger allows. The ledger's own copy
 * of the ERP figure may be older than the live one; the live one wins.
 */
export const freeToSell = (
  sku: Sku,
  erpLive: number,
  ledger: ReadonlyArray<Availability>
): number => {
  const rows = ledger.filter((a) => a.sku === sku)
  const adjustment = rows.reduce((acc, a) => acc + a.free - a.erpAvailable, 0)
  return Math.max(0, erpLive + adjustment)
}
