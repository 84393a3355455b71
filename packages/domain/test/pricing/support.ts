/**
 * Small builders for the pricing tests: a price list from decimal strings,
 * a context, and `priced`, which fails the test on a pricing error.
 */
import * as Either from "effect/Either"
import type * as Currency from "../../src/Currency"
import { Sku } from "../../src/Ids"
import * as PriceEngine from "../../src/PriceEngine"
import * as PriceList from "../../src/PriceList"
import { Channel, PricingContext, Region } from "../../src/PricingContext"
import type * as Promotion from "../../src/Promotion"
import * as Tax from "../../src/Tax"

/** The instant of every test context. */
export const at = new Date("2026-03-01T10:00:00Z")

/** A SKU. */
export const sku = (value: string): Sku => Sku.make(value)

/** A price list of plain prices, `{ sku: "12.34" }`. */
export const list = (
  currency: Currency.CurrencyCode,
  taxInclusive: boolean,
  prices: Record<string, string>,
  options: { readonly id?: string; readonly kind?: PriceList.PriceListKind } = {}
): PriceList.PriceList =>
  Either.getOrThrow(
    PriceList.build({
      id: options.id ?? "base",
      kind: options.kind ?? "Base",
      currency,
      taxInclusive,
      prices: Object.entries(prices).map(([key, amount]) => ({ id: key, sku: key, amount }))
    })
  )

/** A pricing context in `currency` and `region`, channel web. */
export const context = (
  currency: Currency.CurrencyCode,
  region: string,
  extra: Partial<ConstructorParameters<typeof PricingContext>[0]> = {}
): PricingContext =>
  new PricingContext({
    currency,
    region: Region.make(region),
    channel: Channel.make("web"),
    at,
    ...extra
  })

/** An input with no promotions and one standard rate. */
export const input = (options: {
  readonly currency: Currency.CurrencyCode
  readonly region: string
  readonly percent: number | string
  readonly lists: ReadonlyArray<PriceList.PriceList>
  readonly lines: ReadonlyArray<readonly [string, number]>
  readonly promotions?: ReadonlyArray<Promotion.Promotion>
  readonly codes?: ReadonlyArray<string>
  readonly tax?: Tax.TaxPolicy
}): PriceEngine.Input => ({
  lines: options.lines.map(([s, quantity]) => ({ sku: sku(s), quantity })),
  context: context(options.currency, options.region),
  priceLists: options.lists,
  promotions: options.promotions ?? [],
  codes: options.codes ?? [],
  tax: options.tax ?? Tax.standardVat(options.region, options.percent)
})

/** Prices an input, failing the test with the error's message if it cannot be priced. */
export const priced = (input: PriceEngine.Input): PriceEngine.PricedCart =>
  Either.getOrElse(PriceEngine.price(input), (error) => {
    throw new Error(`Expected a priced cart, got ${error.reason}: ${error.message}`)
  })

/** Prices an input that must fail, returning its error. */
export const refused = (input: PriceEngine.Input) =>
  Either.match(PriceEngine.price(input), {
    onLeft: (error) => error,
    onRight: () => {
      throw new Error("Expected a PricingError, got a priced cart")
    }
  })
