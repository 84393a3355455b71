/**
 * fast-check arbitraries for money and pricing: currencies, amounts,
 * rounding modes, tax policies, price lists, carts, promotions, and whole
 * price-engine inputs for property tests.
 *
 * Every generated value is valid input: prices are non-negative, every cart
 * SKU has a base price, promotions name only priced SKUs and carry amounts
 * in the cart's currency.
 *
 * @since 0.1.0
 */
import {
  Currency,
  Ids,
  Money,
  PriceEngine,
  PriceList,
  PricingContext,
  Promotion,
  Ratio,
  Rounding,
  Tax
} from "@mercantile/domain"
import * as fc from "fast-check"

/** Any currency Mercantile prices in. */
export const currency: fc.Arbitrary<Currency.CurrencyCode> = fc.constantFrom(...Currency.codes)

/** One currency of each minor unit that field faults come from (0, 2 and 3 decimals). */
export const edgeCurrencies: ReadonlyArray<Currency.CurrencyCode> = [
  "EUR",
  "USD",
  "GBP",
  "CHF",
  "JPY",
  "KRW",
  "CLP",
  "KWD",
  "BHD",
  "JOD",
  "OMR",
  "TND"
]

/** A currency, drawn mostly from {@link edgeCurrencies}. */
export const pricingCurrency: fc.Arbitrary<Currency.CurrencyCode> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...edgeCurrencies) },
  { weight: 1, arbitrary: currency }
)

/** Any named rounding mode. */
export const roundingMode: fc.Arbitrary<Rounding.RoundingMode> = fc.constantFrom(...Rounding.modes)

/** Minor units from `min` to `max` whole major units of `currency`. */
export const minorUnits = (
  code: Currency.CurrencyCode,
  options: { readonly min?: number; readonly max?: number } = {}
): fc.Arbitrary<bigint> =>
  fc.bigInt({
    min: BigInt(options.min ?? 0) * Currency.scale(code),
    max: BigInt(options.max ?? 10_000) * Currency.scale(code)
  })

/** An amount of `currency`, by default from 0 to 10,000 major units. */
export const money = (
  code: Currency.CurrencyCode,
  options: { readonly min?: number; readonly max?: number } = {}
): fc.Arbitrary<Money.Money> => minorUnits(code, options).map((minor) => Money.make(code, minor))

/** An amount in any currency, negative ones included. */
export const anyMoney: fc.Arbitrary<Money.Money> = currency.chain((code) =>
  money(code, { min: -1_000_000, max: 1_000_000 })
)

/** Allocation weights: at least one, some possibly zero. */
export const weights: fc.Arbitrary<ReadonlyArray<bigint>> = fc.array(
  fc.bigInt({ min: 0n, max: 1_000_000n }),
  { minLength: 1, maxLength: 24 }
)

/** A percentage from 0 to 100 %, in basis points. */
export const percent: fc.Arbitrary<Ratio.Ratio> = fc
  .integer({ min: 0, max: 10_000 })
  .map((bp) => Ratio.make(BigInt(bp), 10_000n))

/** A tax rate: the common VAT rates, or any rate up to 30 % in basis points. */
export const taxRate: fc.Arbitrary<Ratio.Ratio> = fc.oneof(
  fc.constantFrom(0, 5, 7, 8, 10, 15, 19, 20, 21, 25).map((p) => Ratio.percent(p)),
  fc.integer({ min: 0, max: 3_000 }).map((bp) => Ratio.make(BigInt(bp), 10_000n))
)

/** A SKU. */
export const sku: fc.Arbitrary<Ids.Sku> = fc
  .tuple(fc.constantFrom("TSH", "MUG", "CAP", "BAG"), fc.integer({ min: 1, max: 9_999 }))
  .map(([family, n]) => Ids.Sku.make(`${family}-${n}`))

/** One to `max` distinct SKUs. */
export const skus = (max = 8): fc.Arbitrary<ReadonlyArray<Ids.Sku>> =>
  fc.uniqueArray(sku, { minLength: 1, maxLength: max })

/** A region code, country or sub-region. */
export const region: fc.Arbitrary<PricingContext.Region> = fc
  .constantFrom("DE", "GB", "FR", "US", "US-CA", "JP", "KW", "CH")
  .map((r) => PricingContext.Region.make(r))

/** A tax policy for `region`: a standard and a reduced rate, any rounding, level and calculation. */
export const taxPolicy = (forRegion: string): fc.Arbitrary<Tax.TaxPolicy> =>
  fc
    .record({
      standard: taxRate,
      reduced: taxRate,
      rounding: roundingMode,
      level: fc.constantFrom<Tax.Level>("Line", "Total"),
      calculation: fc.constantFrom<Tax.Calculation>("Line", "Unit")
    })
    .map(({ calculation, level, reduced, rounding, standard }) =>
      Tax.policy({
        rates: [
          { region: forRegion, taxClass: "standard", rate: standard },
          { region: forRegion, taxClass: "reduced", rate: reduced }
        ],
        rounding,
        level,
        calculation
      })
    )

/** The instant the generated carts are priced at. */
export const pricedAt = new Date("2026-06-15T12:00:00Z")

/** A pricing context in `code` and `forRegion`, with or without a customer and group. */
export const context = (
  code: Currency.CurrencyCode,
  forRegion: PricingContext.Region
): fc.Arbitrary<PricingContext.PricingContext> =>
  fc
    .record({
      group: fc.option(fc.constantFrom("retail", "vip"), { nil: undefined }),
      customer: fc.option(fc.constantFrom("C-1", "C-2"), { nil: undefined })
    })
    .map(
      ({ customer, group }) =>
        new PricingContext.PricingContext({
          currency: code,
          region: forRegion,
          channel: PricingContext.Channel.make("web"),
          at: pricedAt,
          ...(group === undefined
            ? {}
            : { customerGroup: PricingContext.CustomerGroup.make(group) }),
          ...(customer === undefined ? {} : { customerId: Ids.CustomerId.make(customer) })
        })
    )

/** Optional scope of a generated price: a group, a customer, a tier, a window. */
const scope = fc.record({
  customerGroup: fc.option(fc.constantFrom("retail", "vip"), { nil: undefined }),
  customerId: fc.option(fc.constantFrom("C-1", "C-2"), { nil: undefined }),
  minQuantity: fc.constantFrom(1, 1, 2, 5, 10),
  dated: fc.boolean()
})

/**
 * A price list of `kind` in `code` that prices some of `forSkus` (all of them
 * with `complete`), with scoped prices and quantity tiers beside the plain ones.
 */
export const priceList = (
  code: Currency.CurrencyCode,
  forSkus: ReadonlyArray<Ids.Sku>,
  options: {
    readonly id: string
    readonly kind: PriceList.PriceListKind
    readonly taxInclusive: boolean
    readonly complete?: boolean
  }
): fc.Arbitrary<PriceList.PriceList> =>
  fc
    .record({
      priority: fc.integer({ min: 0, max: 2 }),
      plain: fc.tuple(
        ...forSkus.map(() =>
          options.complete
            ? money(code, { max: 2_000 })
            : fc.option(money(code, { max: 2_000 }), { nil: undefined })
        )
      ),
      scoped: fc.array(
        fc.record({ sku: fc.constantFrom(...forSkus), amount: money(code, { max: 2_000 }), scope }),
        { maxLength: 4 }
      )
    })
    .map(({ plain, priority, scoped }) => {
      const prices: Array<PriceList.Price> = []
      forSkus.forEach((forSku, n) => {
        const amount = plain[n]
        if (amount === undefined) return
        prices.push(new PriceList.Price({ id: `plain-${n}`, sku: forSku, amount, minQuantity: 1 }))
      })
      scoped.forEach(({ amount, scope: s, sku: forSku }, n) => {
        prices.push(
          new PriceList.Price({
            id: `scoped-${n}`,
            sku: forSku,
            amount,
            minQuantity: s.minQuantity,
            ...(s.customerGroup === undefined
              ? {}
              : { customerGroup: PricingContext.CustomerGroup.make(s.customerGroup) }),
            ...(s.customerId === undefined
              ? {}
              : { customerId: Ids.CustomerId.make(s.customerId) }),
            ...(s.dated
              ? {
                  validFrom: new Date(pricedAt.getTime() - 86_400_000),
                  validUntil: new Date(pricedAt.getTime() + 86_400_000)
                }
              : {})
          })
        )
      })
      return new PriceList.PriceList({
        id: options.id,
        kind: options.kind,
        currency: code,
        taxInclusive: options.taxInclusive,
        priority,
        prices
      })
    })

/** Cart lines over `forSkus`: one to eight lines of 1 to 12 units, SKUs possibly repeated. */
export const cartLines = (
  forSkus: ReadonlyArray<Ids.Sku>
): fc.Arbitrary<ReadonlyArray<PriceEngine.LineInput>> =>
  fc.array(
    fc.record({
      sku: fc.constantFrom(...forSkus),
      quantity: fc.integer({ min: 1, max: 12 }),
      categories: fc.subarray(["shirts", "sale"])
    }),
    { minLength: 1, maxLength: 8 }
  )

/** The kinds of promotion action {@link promotion} draws from. */
export type ActionKind = Promotion.Action["_tag"]

const action = (
  code: Currency.CurrencyCode,
  forSkus: ReadonlyArray<Ids.Sku>,
  kinds: ReadonlyArray<ActionKind>
): fc.Arbitrary<Promotion.Action> =>
  fc.constantFrom(...kinds).chain((kind): fc.Arbitrary<Promotion.Action> => {
    switch (kind) {
      case "PercentOffLines":
        return percent.map((p) => Promotion.Action.PercentOffLines({ percent: p }))
      case "PercentOffCart":
        return percent.map((p) => Promotion.Action.PercentOffCart({ percent: p }))
      case "AmountOffUnits":
        return money(code, { max: 200 }).map((amount) =>
          Promotion.Action.AmountOffUnits({ amount })
        )
      case "AmountOffCart":
        return money(code, { max: 3_000 }).map((amount) =>
          Promotion.Action.AmountOffCart({ amount })
        )
      case "FixedUnitPrice":
        return money(code, { max: 500 }).map((amount) =>
          Promotion.Action.FixedUnitPrice({ amount })
        )
      case "BuyXGetY":
        return fc
          .record({
            buy: fc.integer({ min: 1, max: 3 }),
            get: fc.integer({ min: 1, max: 2 }),
            p: percent
          })
          .map(({ buy, get, p }) => Promotion.Action.BuyXGetY({ buy, get, percent: p }))
      case "FreeItem":
        return fc
          .record({ sku: fc.constantFrom(...forSkus), quantity: fc.integer({ min: 1, max: 3 }) })
          .map(({ quantity, sku: free }) => Promotion.Action.FreeItem({ sku: free, quantity }))
    }
  })

/** Every action kind. */
export const allActions: ReadonlyArray<ActionKind> = [
  "PercentOffLines",
  "PercentOffCart",
  "AmountOffUnits",
  "AmountOffCart",
  "FixedUnitPrice",
  "BuyXGetY",
  "FreeItem"
]

/** The action kinds whose total does not depend on how units are split into lines. */
export const cartActions: ReadonlyArray<ActionKind> = ["PercentOffCart", "AmountOffCart"]

/** A promotion with id `id` over `forSkus` in `code`, with any conditions and stacking flags. */
export const promotion = (
  id: string,
  code: Currency.CurrencyCode,
  forSkus: ReadonlyArray<Ids.Sku>,
  kinds: ReadonlyArray<ActionKind> = allActions
): fc.Arbitrary<Promotion.Promotion> =>
  fc
    .record({
      action: action(code, forSkus, kinds),
      priority: fc.integer({ min: 0, max: 3 }),
      exclusive: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      stopAfter: fc.boolean(),
      group: fc.option(fc.constantFrom("g1", "g2"), { nil: undefined }),
      codes: fc.option(fc.constant([`CODE-${id}`]), { nil: undefined }),
      skus: fc.option(fc.subarray([...forSkus], { minLength: 1 }), { nil: undefined }),
      minSubtotal: fc.option(money(code, { max: 500 }), { nil: undefined }),
      rounding: fc.option(roundingMode, { nil: undefined })
    })
    .map((r) =>
      Promotion.make({
        id,
        action: r.action,
        priority: r.priority,
        exclusive: r.exclusive,
        stopAfter: r.stopAfter,
        ...(r.group === undefined ? {} : { group: r.group }),
        ...(r.rounding === undefined ? {} : { rounding: r.rounding }),
        conditions: {
          ...(r.codes === undefined ? {} : { codes: r.codes }),
          ...(r.skus === undefined ? {} : { skus: r.skus }),
          ...(r.minSubtotal === undefined ? {} : { minSubtotal: r.minSubtotal })
        }
      })
    )

/** What a generated {@link input} may hold. */
export interface InputOptions {
  /** The most promotions (default 4; 0 for none). */
  readonly maxPromotions?: number
  /** The action kinds promotions draw from (default all). */
  readonly actions?: ReadonlyArray<ActionKind>
  /** Only plain prices, without customer, group, tier or window scope. */
  readonly plainPrices?: boolean
  /** Fix the tax level. */
  readonly taxLevel?: Tax.Level
  /** Fix whether the lists include tax. */
  readonly taxInclusive?: boolean
}

/**
 * A whole price-engine input: a currency, a region and its tax policy, a
 * complete base list, maybe a sale list and an override list, cart lines,
 * promotions and the codes entered.
 */
export const input = (options: InputOptions = {}): fc.Arbitrary<PriceEngine.Input> =>
  fc
    .record({
      code: pricingCurrency,
      where: region,
      forSkus: skus(),
      taxInclusive:
        options.taxInclusive === undefined ? fc.boolean() : fc.constant(options.taxInclusive)
    })
    .chain(({ code, forSkus, taxInclusive, where }) => {
      const plain = (arb: fc.Arbitrary<PriceList.PriceList>) =>
        options.plainPrices
          ? arb.map(
              (list) =>
                new PriceList.PriceList({
                  ...list,
                  prices: list.prices.filter((p) => p.id.startsWith("plain-"))
                })
            )
          : arb
      return fc.record({
        lines: cartLines(forSkus),
        context: context(code, where),
        base: plain(
          priceList(code, forSkus, { id: "base", kind: "Base", taxInclusive, complete: true })
        ),
        others: fc
          .subarray([
            plain(priceList(code, forSkus, { id: "sale", kind: "Sale", taxInclusive })),
            plain(priceList(code, forSkus, { id: "override", kind: "Override", taxInclusive }))
          ])
          .chain((arbs) => (arbs.length === 0 ? fc.constant([]) : fc.tuple(...arbs))),
        promotions: fc
          .integer({ min: 0, max: options.maxPromotions ?? 4 })
          .chain((n) =>
            n === 0
              ? fc.constant([])
              : fc.tuple(
                  ...Array.from({ length: n }, (_, i) =>
                    promotion(`P${i}`, code, forSkus, options.actions ?? allActions)
                  )
                )
          ),
        enterCodes: fc.boolean(),
        tax: taxPolicy(where).map((policy) =>
          options.taxLevel === undefined ? policy : { ...policy, level: options.taxLevel }
        ),
        reduced: fc.subarray([...forSkus])
      })
    })
    .map((r): PriceEngine.Input => {
      const classes = new Map(r.reduced.map((s) => [s as string, "reduced"]))
      return {
        lines: r.lines,
        context: r.context,
        priceLists: [r.base, ...r.others],
        promotions: r.promotions,
        codes: r.enterCodes ? r.promotions.flatMap((p) => p.conditions.codes ?? []) : [],
        tax: { ...r.tax, classes }
      }
    })
