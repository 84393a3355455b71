/**
 * The benchmark's workload, shared with the equivalence test: price lists of
 * a given number of rules, fifty promotions, a context, a tax policy and
 * deterministic carts.
 *
 * Rules: per SKU a base price, a quantity tier, a group or sale price and a
 * USD price, so 10,000 rules cover 2,500 SKUs and 100,000 rules 25,000 SKUs.
 * Promotions: 30 product promotions on 20 SKUs each (percent, amount off
 * units, buy 2 get 1, fixed price), 10 code vouchers (two codes entered),
 * 5 alternatives of one "best deal" group and 5 automatic cart-wide ones,
 * some with a minimum subtotal.
 */
import { Sku } from "../src/Ids"
import * as Money from "../src/Money"
import type * as PriceEngine from "../src/PriceEngine"
import { Price, PriceList } from "../src/PriceList"
import { Channel, CustomerGroup, PricingContext, Region } from "../src/PricingContext"
import * as Promotion from "../src/Promotion"
import * as Tax from "../src/Tax"

/** The SKUs every cart draws from; both rule sets price them. */
export const cartSkus = 2_500

/** A small deterministic generator, so every run prices the same carts. */
export const random = (seed: number) => {
  let state = seed >>> 0
  return (below: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % below
  }
}

const skuOf = (n: number): Sku => Sku.make(`SKU-${n}`)

/** Price lists holding `rules` prices: per SKU a base, a tier, a group price and a USD price. */
export const priceLists = (rules: number): ReadonlyArray<PriceList> => {
  const skus = rules / 4
  const base: Array<Price> = []
  const scoped: Array<Price> = []
  const sale: Array<Price> = []
  const usd: Array<Price> = []
  for (let n = 0; n < skus; n++) {
    const sku = skuOf(n)
    const amount = BigInt(500 + ((n * 7919) % 50_000))
    base.push(new Price({ id: `b${n}`, sku, amount: Money.make("EUR", amount), minQuantity: 1 }))
    scoped.push(
      new Price({ id: `t${n}`, sku, amount: Money.make("EUR", amount - 100n), minQuantity: 5 })
    )
    const cheaper = Money.make("EUR", (amount * 9n) / 10n)
    if (n % 4 === 0) sale.push(new Price({ id: `s${n}`, sku, amount: cheaper, minQuantity: 1 }))
    else {
      const customerGroup = CustomerGroup.make("vip")
      scoped.push(new Price({ id: `g${n}`, sku, amount: cheaper, minQuantity: 1, customerGroup }))
    }
    usd.push(new Price({ id: `u${n}`, sku, amount: Money.make("USD", amount), minQuantity: 1 }))
  }
  const list = (id: string, kind: PriceList["kind"], prices: Array<Price>, currency = "EUR") =>
    new PriceList({
      id,
      kind,
      currency: currency as "EUR",
      taxInclusive: true,
      priority: 0,
      prices
    })
  return [
    list("base", "Base", base),
    list("scoped", "Base", scoped),
    list("sale", "Sale", sale),
    list("usd", "Base", usd, "USD")
  ]
}

/** Fifty promotions, most of them scoped to products, as a catalog usually has. */
export const promotions = (): ReadonlyArray<Promotion.Promotion> => {
  const next = random(7)
  const skus = (count: number) => Array.from({ length: count }, () => skuOf(next(cartSkus)))
  const product = Array.from({ length: 30 }, (_, n) =>
    Promotion.make({
      id: `product-${n}`,
      priority: n % 4,
      action: [
        Promotion.percentOffLines(5 + (n % 20)),
        Promotion.Action.AmountOffUnits({ amount: Money.make("EUR", 50n) }),
        Promotion.buyXGetY(2, 1),
        Promotion.Action.FixedUnitPrice({ amount: Money.make("EUR", 900n) })
      ][n % 4]!,
      conditions: { skus: skus(20), ...(n % 9 === 0 ? { customerGroups: ["vip"] } : {}) }
    })
  )
  const vouchers = Array.from({ length: 10 }, (_, n) =>
    Promotion.make({
      id: `voucher-${n}`,
      priority: 1,
      action:
        n % 2 === 0
          ? Promotion.percentOffCart(5 + n)
          : Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 1_000n) }),
      conditions: {
        codes: [`CODE${n}`],
        usage: { limitPerCode: 1_000, usedByCode: { [`CODE${n}`]: n } }
      }
    })
  )
  const best = Array.from({ length: 5 }, (_, n) =>
    Promotion.make({
      id: `best-${n}`,
      group: "best",
      priority: 2,
      action:
        n % 2 === 0
          ? Promotion.percentOffCart(2 + n)
          : Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 500n * BigInt(n)) })
    })
  )
  const automatic = Array.from({ length: 5 }, (_, n) =>
    Promotion.make({
      id: `auto-${n}`,
      priority: 0,
      action: Promotion.percentOffCart(1 + n),
      conditions: { minSubtotal: Money.make("EUR", 20_000n * BigInt(n + 1)) }
    })
  )
  return [...product, ...vouchers, ...best, ...automatic]
}

/** The codes the shopper entered. */
export const codes: ReadonlyArray<string> = ["CODE2", "CODE5"]

/** A VIP shopper on the web in Germany. */
export const context = new PricingContext({
  currency: "EUR",
  region: Region.make("DE"),
  channel: Channel.make("web"),
  customerGroup: CustomerGroup.make("vip"),
  at: new Date("2026-03-01T10:00:00Z")
})

/** German VAT at 19 %. */
export const tax = Tax.standardVat("DE", 19)

/** `count` carts of `lines` lines over the first {@link cartSkus} SKUs. */
export const carts = (
  count: number,
  lines: number
): ReadonlyArray<ReadonlyArray<PriceEngine.LineInput>> => {
  const next = random(42)
  return Array.from({ length: count }, () =>
    Array.from({ length: lines }, () => ({
      sku: skuOf(next(cartSkus)),
      quantity: 1 + next(8)
    }))
  )
}
