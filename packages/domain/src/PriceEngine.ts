/**
 * The price engine: a pure function from cart lines, a pricing context,
 * price lists, promotions and a tax policy to a priced cart, with an
 * explanation of every figure.
 *
 * The steps, each documented in its own module:
 * 1. Price selection (`PriceSelection`): each line gets the unit price of
 *    the most specific matching price, then by list kind, priority, lowest
 *    amount and a stable id; quantity tiers count the SKU over all lines.
 * 2. Promotions (`Promotion`): applied in priority order, each to the amounts
 *    left by the ones before it; a discount never exceeds what it discounts.
 * 3. Tax (`Tax`): per line or per total, per unit or per line, as the policy
 *    says. A tax-inclusive line keeps the gross the shopper saw: its tax is
 *    extracted and its net is the gross minus that tax.
 *
 * For every line `total = net + tax` exactly, and the cart's figures are the
 * sums of its lines'. Amounts are whole minor units throughout: a rounding
 * happens only where an explanation names its mode. Lines are worked on in a
 * canonical order (by SKU, then quantity), so the result does not depend on
 * the order of the lines; re-pricing the lines of a priced cart gives the
 * same cart.
 *
 * Splitting a line of `n` units into `n` lines of one changes the total by
 * at most one minor unit per resulting line for each line-level rounding
 * (line-level tax on tax-exclusive lines, and each line-level percentage
 * promotion), and not at all under `level: "Total"` tax when the only
 * promotions are cart-wide (`PercentOffCart`, `AmountOffCart`).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Currency from "./Currency"
import type { Explanation } from "./Explanation"
import type { Sku } from "./Ids"
import { applyPromotions, prepare, validate } from "./internal/pricing/applyPromotions"
import { applyTax } from "./internal/pricing/applyTax"
import { canonical, type WorkLine } from "./internal/pricing/WorkLine"
import * as Money from "./Money"
import type { PriceList } from "./PriceList"
import * as PriceSelection from "./PriceSelection"
import { PricingError } from "./PricingError"
import type { PricingContext } from "./PricingContext"
import type * as Promotion from "./Promotion"
import * as Ratio from "./Ratio"
import type * as Rounding from "./Rounding"
import * as Tax from "./Tax"

export { Explanation } from "./Explanation"
export { PricingError } from "./PricingError"

/** Price lists indexed for selection; build once with {@link index}, reuse across carts. */
export type PriceIndex = PriceSelection.PriceIndex

/** Indexes price lists once, for pricing many carts against them. */
export const index = (priceLists: ReadonlyArray<PriceList>): PriceIndex =>
  PriceSelection.index(priceLists)

/** One line to price: a SKU, how many, and optionally its categories (for promotions). */
export interface LineInput {
  readonly sku: Sku
  readonly quantity: number
  readonly categories?: ReadonlyArray<string>
}

/** Everything the engine needs; nothing else is read. */
export interface Input {
  readonly lines: ReadonlyArray<LineInput>
  readonly context: PricingContext
  /** The price lists, or an index built from them with {@link index}. */
  readonly priceLists: ReadonlyArray<PriceList> | PriceIndex
  /** Prepared once per array and reused while the array holds the same promotions. */
  readonly promotions: ReadonlyArray<Promotion.Promotion>
  /** Promotion codes the shopper entered. */
  readonly codes: ReadonlyArray<string>
  readonly tax: Tax.TaxPolicy
  /** How price ties are settled; ties go to the lowest price by default. */
  readonly selection?: PriceSelection.Policy
  /** The rounding of discounts; the tax policy's rounding by default. */
  readonly discountRounding?: Rounding.RoundingMode
}

/** A priced line. `total` is what the shopper pays for it, and `total = net + tax`. */
export interface PricedLine {
  readonly sku: Sku
  readonly quantity: number
  readonly categories: ReadonlyArray<string>
  /** The unit price from the price list, tax included when `taxInclusive`. */
  readonly unitPrice: Money.Money
  /** The original price beside a sale price. */
  readonly compareAtPrice: Option.Option<Money.Money>
  /** Unit price times quantity. */
  readonly subtotal: Money.Money
  /** All promotions' discounts on the line, on the same tax basis as the subtotal. */
  readonly discount: Money.Money
  /** The amount without tax, after discounts. */
  readonly net: Money.Money
  readonly tax: Money.Money
  readonly total: Money.Money
  readonly taxInclusive: boolean
  readonly explanation: ReadonlyArray<Explanation>
}

/** A priced cart: its lines and their sums. */
export interface PricedCart {
  readonly currency: Currency.CurrencyCode
  readonly lines: ReadonlyArray<PricedLine>
  readonly subtotal: Money.Money
  readonly discount: Money.Money
  readonly net: Money.Money
  readonly tax: Money.Money
  readonly total: Money.Money
  /** Cart-wide facts: promotions applied or refused, unknown codes, tax totals. */
  readonly explanation: ReadonlyArray<Explanation>
}

const indexes = new WeakMap<ReadonlyArray<PriceList>, PriceIndex>()

const indexOf = (priceLists: ReadonlyArray<PriceList> | PriceIndex): PriceIndex => {
  if (PriceSelection.isIndex(priceLists)) return priceLists
  let built = indexes.get(priceLists)
  if (built === undefined) {
    built = PriceSelection.index(priceLists)
    indexes.set(priceLists, built)
  }
  return built
}

type RateProblem = readonly [PricingError["reason"], string]

/** Resolves tax rates by tax class, once per class in a call. */
const taxRates = (input: Input) => {
  const region = input.context.region
  const byClass = new Map<string, Either.Either<Tax.TaxRate, RateProblem>>()
  return (sku: Sku): Tax.TaxRate | PricingError => {
    const taxClass = Tax.classOf(input.tax, sku)
    let found = byClass.get(taxClass)
    if (found === undefined) {
      found = Option.match(Tax.rateFor(input.tax, region, taxClass), {
        onNone: (): Either.Either<Tax.TaxRate, RateProblem> =>
          Either.left(["NoTaxRate", `No ${taxClass} tax rate for ${region}`]),
        onSome: (rate) =>
          Ratio.isValid(rate.rate)
            ? Either.right(rate)
            : Either.left(["InvalidRule", `The ${taxClass} rate of ${rate.region} is invalid`])
      })
      byClass.set(taxClass, found)
    }
    if (Either.isRight(found)) return found.right
    const [reason, detail] = found.left
    return new PricingError({
      reason,
      sku,
      rule: `${region}/${taxClass}`,
      detail: `${detail} (SKU ${sku})`
    })
  }
}

/** Checks quantities, selects each line's price and tax rate; lines in canonical order. */
const selectLines = (
  input: Input,
  priceIndex: PriceIndex
): Either.Either<Array<WorkLine>, PricingError> => {
  const bySku = new Map<string, number>()
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      return Either.left(
        new PricingError({
          reason: "InvalidQuantity",
          sku: line.sku,
          detail: `The quantity of ${line.sku} is not a positive whole number: ${line.quantity}`
        })
      )
    }
    bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity)
  }

  const policy = input.selection ?? PriceSelection.defaultPolicy
  const rateOf = taxRates(input)
  const work: Array<WorkLine> = []
  for (let position = 0; position < input.lines.length; position++) {
    const line = input.lines[position]!
    const quantity = bySku.get(line.sku)!
    const selected = PriceSelection.select(priceIndex, line.sku, quantity, input.context, policy)
    if (Either.isLeft(selected)) return Either.left(selected.left)
    const rate = rateOf(line.sku)
    if (rate instanceof PricingError) return Either.left(rate)

    const { chosen, compareAt } = selected.right
    const units = BigInt(line.quantity)
    const subtotal = chosen.amount.minor * units
    const categories = line.categories ?? []
    const explanation: Array<Explanation> = [
      {
        _tag: "PriceSelected",
        sku: line.sku,
        priceList: chosen.list.id,
        price: chosen.price.id,
        kind: chosen.kind,
        amount: chosen.amount,
        taxInclusive: chosen.taxInclusive,
        precedence: PriceSelection.describe(chosen)
      }
    ]
    if (Option.isSome(compareAt)) {
      explanation.push({
        _tag: "CompareAt",
        sku: line.sku,
        priceList: compareAt.value.list.id,
        price: compareAt.value.price.id,
        amount: compareAt.value.amount
      })
    }
    work.push({
      position,
      sku: line.sku,
      quantity: line.quantity,
      units,
      categories,
      itemKey: categories.length === 0 ? line.sku : `${line.sku}\u0000${categories.join("\u0000")}`,
      unit: chosen.amount.minor,
      subtotal,
      taxInclusive: chosen.taxInclusive,
      compareAt: Option.isSome(compareAt) ? Option.some(compareAt.value.amount) : Option.none(),
      explanation,
      rate,
      remaining: subtotal,
      tax: 0n
    })
  }
  return Either.right(work.sort(canonical))
}

/**
 * Prices a cart. Fails with a {@link PricingError} naming the line, price
 * rule, promotion or tax rate at fault; never prices silently wrong.
 */
export const price = (input: Input): Either.Either<PricedCart, PricingError> => {
  const currency = input.context.currency
  const priceIndex = indexOf(input.priceLists)
  const selected = selectLines(input, priceIndex)
  if (Either.isLeft(selected)) return Either.left(selected.left)
  const work = selected.right
  const promotions = prepare(input.promotions)
  const problem = validate(promotions, priceIndex)
  if (problem !== null) return Either.left(problem)

  const explanation: Array<Explanation> = []
  const options = {
    promotions,
    codes: input.codes,
    context: input.context,
    rounding: input.discountRounding ?? input.tax.rounding
  }
  applyPromotions(options, work, currency, explanation)
  applyTax(input.tax, work, currency, explanation)

  const lines: Array<PricedLine> = new Array(work.length)
  let subtotal = 0n
  let discount = 0n
  let net = 0n
  let tax = 0n
  for (const line of work) {
    const lineNet = line.taxInclusive ? line.remaining - line.tax : line.remaining
    subtotal += line.subtotal
    discount += line.subtotal - line.remaining
    net += lineNet
    tax += line.tax
    lines[line.position] = {
      sku: line.sku,
      quantity: line.quantity,
      categories: line.categories,
      unitPrice: Money.make(currency, line.unit),
      compareAtPrice: line.compareAt,
      subtotal: Money.make(currency, line.subtotal),
      discount: Money.make(currency, line.subtotal - line.remaining),
      net: Money.make(currency, lineNet),
      tax: Money.make(currency, line.tax),
      total: Money.make(currency, lineNet + line.tax),
      taxInclusive: line.taxInclusive,
      explanation: line.explanation
    }
  }
  return Either.right({
    currency,
    lines,
    subtotal: Money.make(currency, subtotal),
    discount: Money.make(currency, discount),
    net: Money.make(currency, net),
    tax: Money.make(currency, tax),
    total: Money.make(currency, net + tax),
    explanation
  })
}
