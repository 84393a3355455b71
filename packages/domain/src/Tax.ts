/**
 * Tax rates by region and tax class, and how tax is rounded.
 *
 * A price list says whether its amounts include tax. For a tax-exclusive
 * amount `a` at rate `r` the tax is `a × r`; for a tax-inclusive amount
 * (gross) it is `a × r / (1 + r)`, and the net is the gross minus that tax, so
 * the gross the shopper saw never moves.
 *
 * The policy names how the exact tax becomes whole minor units:
 * - `level: "Line"` rounds each line's tax; `level: "Total"` sums the exact
 *   tax of all lines at one rate, rounds that once, and allocates it back
 *   over the lines by largest remainder (so the lines still sum to it).
 * - `calculation: "Line"` (at line level) rounds the tax of the line amount;
 *   `calculation: "Unit"` rounds the tax of one unit and multiplies it.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Ratio from "./Ratio"
import type { RoundingMode } from "./Rounding"
import * as Rounding from "./Rounding"

/** The rate of one tax class in one region ("DE", or "US-CA" before "US"). */
export interface TaxRate {
  readonly region: string
  readonly taxClass: string
  readonly rate: Ratio.Ratio
}

/** Where tax is rounded: on each line, or once per rate on the cart. */
export type Level = "Line" | "Total"

/** At line level, whether tax is computed on one unit or on the line amount. */
export type Calculation = "Unit" | "Line"

/** How a storefront taxes. Build it with {@link policy} or {@link standardVat}. */
export interface TaxPolicy {
  readonly rates: ReadonlyArray<TaxRate>
  readonly rounding: RoundingMode
  readonly level: Level
  readonly calculation: Calculation
  /** The tax class of a SKU that {@link TaxPolicy.classes} does not name. */
  readonly defaultClass: string
  /** The tax class of each SKU that is not of the default class. */
  readonly classes: ReadonlyMap<string, string>
}

/** The default tax class. */
export const standardClass = "standard"

/** Builds a tax policy. */
export const policy = (options: {
  readonly rates: ReadonlyArray<TaxRate>
  readonly rounding: RoundingMode
  readonly level: Level
  readonly calculation: Calculation
  readonly defaultClass?: string
  readonly classes?: ReadonlyMap<string, string> | Readonly<Record<string, string>>
}): TaxPolicy => ({
  rates: options.rates,
  rounding: options.rounding,
  level: options.level,
  calculation: options.calculation,
  defaultClass: options.defaultClass ?? standardClass,
  classes:
    options.classes === undefined
      ? new Map()
      : options.classes instanceof Map
        ? options.classes
        : new Map(Object.entries(options.classes))
})

/**
 * One standard VAT rate for a region (`standardVat("DE", 19)`), rounded
 * half-up per line on the line amount: the common European practice.
 */
export const standardVat = (
  region: string,
  percent: number | string,
  rounding: RoundingMode = "HalfUp"
): TaxPolicy =>
  policy({
    rates: [{ region, taxClass: standardClass, rate: Ratio.percent(percent) }],
    rounding,
    level: "Line",
    calculation: "Line"
  })

/** The tax class of a SKU under a policy. */
export const classOf = (self: TaxPolicy, sku: string): string =>
  self.classes.get(sku) ?? self.defaultClass

const lookups = new WeakMap<TaxPolicy, Map<string, TaxRate>>()

const lookupOf = (self: TaxPolicy): Map<string, TaxRate> => {
  let lookup = lookups.get(self)
  if (lookup === undefined) {
    lookup = new Map()
    for (const rate of self.rates) lookup.set(`${rate.region}\u0000${rate.taxClass}`, rate)
    lookups.set(self, lookup)
  }
  return lookup
}

/**
 * The rate of a tax class in a region: the region's own rate ("US-CA"),
 * else its country's ("US").
 */
export const rateFor = (
  self: TaxPolicy,
  region: string,
  taxClass: string
): Option.Option<TaxRate> => {
  const lookup = lookupOf(self)
  const own = lookup.get(`${region}\u0000${taxClass}`)
  if (own !== undefined) return Option.some(own)
  const dash = region.indexOf("-")
  return dash < 0
    ? Option.none()
    : Option.fromNullable(lookup.get(`${region.slice(0, dash)}\u0000${taxClass}`))
}

/**
 * The exact tax in an amount of minor units, as the fraction
 * `[numerator, denominator]`: `a × r` when the amount excludes tax,
 * `a × r / (1 + r)` when it includes it.
 */
export const exact = (
  amount: bigint,
  rate: Ratio.Ratio,
  taxInclusive: boolean
): readonly [bigint, bigint] =>
  taxInclusive
    ? [amount * rate.numerator, rate.denominator + rate.numerator]
    : [amount * rate.numerator, rate.denominator]

/** The tax in an amount of minor units, rounded with `mode`. */
export const round = (
  amount: bigint,
  rate: Ratio.Ratio,
  taxInclusive: boolean,
  mode: RoundingMode
): bigint => {
  const [numerator, denominator] = exact(amount, rate, taxInclusive)
  return Rounding.divide(numerator, denominator, mode)
}

/**
 * The tax of a line of `quantity` units worth `amount` minor units in all,
 * computed per unit: the amount is spread over the units (they differ by at
 * most one minor unit), each unit's tax is rounded, and the results summed.
 */
export const roundPerUnit = (
  amount: bigint,
  quantity: bigint,
  rate: Ratio.Ratio,
  taxInclusive: boolean,
  mode: RoundingMode
): bigint => {
  const unit = amount / quantity
  const larger = amount % quantity
  return (
    larger * round(unit + 1n, rate, taxInclusive, mode) +
    (quantity - larger) * round(unit, rate, taxInclusive, mode)
  )
}
