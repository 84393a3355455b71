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
import * as Currency from "./Currency"
import { Explanation, type RefusalReason } from "./Explanation"
import type { Sku } from "./Ids"
import * as Money from "./Money"
import type { PriceList } from "./PriceList"
import * as PriceSelection from "./PriceSelection"
import { PricingError } from "./PricingError"
import type { PricingContext } from "./PricingContext"
import * as Promotion from "./Promotion"
import * as Ratio from "./Ratio"
import * as Rounding from "./Rounding"
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

/** A line while it is priced. */
interface Work {
  readonly position: number
  readonly sku: Sku
  readonly quantity: number
  readonly units: bigint
  readonly categories: ReadonlyArray<string>
  readonly unit: bigint
  readonly subtotal: bigint
  readonly taxInclusive: boolean
  readonly compareAt: Option.Option<Money.Money>
  readonly explanation: Array<Explanation>
  readonly rate: Tax.TaxRate
  /** Lines of one rate and one tax basis share a key; cart discounts are spread by it first. */
  readonly taxKey: string
  remaining: bigint
  tax: bigint
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

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const canonical = (a: Work, b: Work): number =>
  compareText(a.sku, b.sku) ||
  a.quantity - b.quantity ||
  compareText(a.categories.join("\u0000"), b.categories.join("\u0000")) ||
  a.position - b.position

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

const fraction = (numerator: bigint, denominator: bigint): string => {
  const divisor = gcd(numerator, denominator) || 1n
  const n = numerator / divisor
  const d = denominator / divisor
  return d === 1n ? n.toString() : `${n}/${d}`
}

// ---------------------------------------------------------------------------
// Lines and selection
// ---------------------------------------------------------------------------

/** The tax rate of a SKU in the context's region. */
const rateOf = (input: Input, sku: Sku): Either.Either<Tax.TaxRate, PricingError> => {
  const region = input.context.region
  const taxClass = Tax.classOf(input.tax, sku)
  const found = Tax.rateFor(input.tax, region, taxClass)
  if (Option.isNone(found)) {
    return Either.left(
      new PricingError({
        reason: "NoTaxRate",
        sku,
        rule: `${region}/${taxClass}`,
        detail: `No ${taxClass} tax rate for ${region} (SKU ${sku})`
      })
    )
  }
  const rate = found.value
  if (!Ratio.isValid(rate.rate)) {
    return Either.left(
      new PricingError({
        reason: "InvalidRule",
        sku,
        rule: `${rate.region}/${rate.taxClass}`,
        detail: `The ${rate.taxClass} tax rate of ${rate.region} is not a rate of zero or more`
      })
    )
  }
  return Either.right(rate)
}

const selectLines = (
  input: Input,
  priceIndex: PriceIndex
): Either.Either<Array<Work>, PricingError> => {
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
  const work: Array<Work> = []
  for (let position = 0; position < input.lines.length; position++) {
    const line = input.lines[position]!
    const selected = PriceSelection.select(
      priceIndex,
      line.sku,
      bySku.get(line.sku)!,
      input.context,
      policy
    )
    if (Either.isLeft(selected)) return Either.left(selected.left)
    const { chosen, compareAt } = selected.right
    const rate = rateOf(input, line.sku)
    if (Either.isLeft(rate)) return Either.left(rate.left)
    const units = BigInt(line.quantity)
    const subtotal = chosen.amount.minor * units
    const explanation: Array<Explanation> = [
      Explanation.PriceSelected({
        sku: line.sku,
        priceList: chosen.list.id,
        price: chosen.price.id,
        kind: chosen.kind,
        amount: chosen.amount,
        taxInclusive: chosen.taxInclusive,
        precedence: PriceSelection.describe(chosen)
      })
    ]
    if (Option.isSome(compareAt)) {
      explanation.push(
        Explanation.CompareAt({
          sku: line.sku,
          priceList: compareAt.value.list.id,
          price: compareAt.value.price.id,
          amount: compareAt.value.amount
        })
      )
    }
    work.push({
      position,
      sku: line.sku,
      quantity: line.quantity,
      units,
      categories: line.categories ?? [],
      unit: chosen.amount.minor,
      subtotal,
      taxInclusive: chosen.taxInclusive,
      compareAt: Option.map(compareAt, (c) => c.amount),
      explanation,
      rate: rate.right,
      taxKey: `${rate.right.region}\u0000${rate.right.taxClass}\u0000${chosen.taxInclusive}`,
      remaining: subtotal,
      tax: 0n
    })
  }
  return Either.right(work.sort(canonical))
}

// ---------------------------------------------------------------------------
// Promotions
// ---------------------------------------------------------------------------

const invalid = (
  promotion: Promotion.Promotion,
  reason: PricingError["reason"],
  detail: string,
  sku?: Sku
): PricingError =>
  new PricingError({
    reason,
    rule: promotion.id,
    detail: `Promotion ${promotion.id}: ${detail}`,
    ...(sku === undefined ? {} : { sku })
  })

const isCount = (n: number | undefined): boolean =>
  n === undefined || (Number.isSafeInteger(n) && n >= 0)

const validations = new WeakMap<Promotion.Promotion, PricingError | null>()

/** Checks a promotion's own data, once per promotion object. */
const validateRule = (promotion: Promotion.Promotion): PricingError | null => {
  const cached = validations.get(promotion)
  if (cached !== undefined) return cached
  const found = findRuleProblem(promotion)
  validations.set(promotion, found)
  return found
}

const findRuleProblem = (p: Promotion.Promotion): PricingError | null => {
  const { action, conditions } = p
  if (p.id.trim() === "") return invalid(p, "InvalidRule", "an empty id")
  if (!Number.isFinite(p.priority)) return invalid(p, "InvalidRule", "a priority that is no number")
  switch (action._tag) {
    case "PercentOffLines":
    case "PercentOffCart":
    case "BuyXGetY":
      if (!Ratio.isValid(action.percent) || !Ratio.isAtMostOne(action.percent)) {
        return invalid(p, "InvalidPercentage", "a percentage outside 0 to 100")
      }
  }
  switch (action._tag) {
    case "AmountOffUnits":
    case "FixedUnitPrice":
    case "AmountOffCart":
      if (action.amount.minor < 0n) return invalid(p, "InvalidRule", "a negative amount")
      break
    case "BuyXGetY":
      if (!isCount(action.buy) || !isCount(action.get) || action.buy < 1 || action.get < 1) {
        return invalid(p, "InvalidRule", "buy and get must be whole numbers from 1")
      }
      break
    case "FreeItem":
      if (!isCount(action.quantity) || action.quantity < 1) {
        return invalid(p, "InvalidRule", "a free quantity that is not a whole number from 1")
      }
  }
  if (conditions.minSubtotal !== undefined && conditions.minSubtotal.minor < 0n) {
    return invalid(p, "InvalidRule", "a negative minimum subtotal")
  }
  const from = conditions.validFrom?.getTime()
  const until = conditions.validUntil?.getTime()
  if (
    (from !== undefined && Number.isNaN(from)) ||
    (until !== undefined && Number.isNaN(until)) ||
    (from !== undefined && until !== undefined && !(from < until))
  ) {
    return invalid(p, "InvalidValidity", "its validity window ends before it starts")
  }
  const usage = conditions.usage
  if (
    usage !== undefined &&
    (!isCount(usage.limitPerCode) ||
      !isCount(usage.limitPerCustomer) ||
      !isCount(usage.usedByCustomer) ||
      !Object.values(usage.usedByCode ?? {}).every(isCount))
  ) {
    return invalid(p, "InvalidRule", "usage counts and limits must be whole numbers")
  }
  return null
}

const validatePromotions = (
  promotions: ReadonlyArray<Promotion.Promotion>,
  priceIndex: PriceIndex
): PricingError | null => {
  const ids = new Set<string>()
  for (const promotion of promotions) {
    const problem = validateRule(promotion)
    if (problem !== null) return problem
    if (ids.has(promotion.id)) return invalid(promotion, "InvalidRule", "its id is used twice")
    ids.add(promotion.id)
    for (const sku of promotion.conditions.skus ?? []) {
      if (!PriceSelection.knows(priceIndex, sku)) {
        return invalid(promotion, "UnknownSku", `no price list knows SKU ${sku}`, sku)
      }
    }
    if (
      promotion.action._tag === "FreeItem" &&
      !PriceSelection.knows(priceIndex, promotion.action.sku)
    ) {
      const sku = promotion.action.sku
      return invalid(promotion, "UnknownSku", `no price list knows SKU ${sku}`, sku)
    }
  }
  return null
}

/** A promotion that passed its static conditions, with the lines it targets. */
interface Eligible {
  readonly promotion: Promotion.Promotion
  readonly targets: ReadonlyArray<Work>
  /** True when the shopper entered one of its codes. */
  readonly coded: boolean
}

type Verdict =
  | { readonly _tag: "Eligible"; readonly eligible: Eligible }
  | { readonly _tag: "Refused"; readonly explanation: Explanation | undefined }

const usedBy = (usage: Promotion.Usage, code: string): number => {
  let used = 0
  for (const [key, count] of Object.entries(usage.usedByCode ?? {})) {
    if (Promotion.normalizeCode(key) === code) used += count
  }
  return used
}

const judge = (
  promotion: Promotion.Promotion,
  context: PricingContext,
  entered: ReadonlySet<string>,
  work: ReadonlyArray<Work>
): Verdict => {
  const c = promotion.conditions
  let code: string | undefined
  if (c.codes !== undefined && c.codes.length > 0) {
    code = c.codes.map(Promotion.normalizeCode).find((candidate) => entered.has(candidate))
    if (code === undefined) return { _tag: "Refused", explanation: undefined }
  }
  const coded = code !== undefined
  const refuse = (reason: RefusalReason, detail: string): Verdict => ({
    _tag: "Refused",
    explanation: coded
      ? Explanation.PromotionRefused({ promotion: promotion.id, reason, detail })
      : undefined
  })

  const at = context.at.getTime()
  if (c.validFrom !== undefined && at < c.validFrom.getTime()) {
    return refuse("NotEligible", "it has not started yet")
  }
  if (c.validUntil !== undefined && at >= c.validUntil.getTime()) {
    return refuse("NotEligible", "it has ended")
  }
  if (c.customerGroups !== undefined) {
    const group = context.customerGroup
    if (group === undefined || !c.customerGroups.includes(group)) {
      return refuse("NotEligible", "it is not for this customer group")
    }
  }
  if (c.regions !== undefined && !c.regions.includes(context.region)) {
    const country = context.region.split("-")[0]!
    if (!c.regions.includes(country)) return refuse("NotEligible", "it is not for this region")
  }
  if (c.channels !== undefined && !c.channels.includes(context.channel)) {
    return refuse("NotEligible", "it is not for this channel")
  }
  const foreign = Promotion.amounts(promotion).find((m) => m.currency !== context.currency)
  if (foreign !== undefined) {
    return refuse("OtherCurrency", `its amounts are in ${foreign.currency}`)
  }
  const usage = c.usage
  if (usage?.limitPerCode !== undefined && code !== undefined) {
    if (usedBy(usage, code) >= usage.limitPerCode) {
      return refuse("UsageLimitPerCode", `code ${code} has reached its usage limit`)
    }
  }
  if (usage?.limitPerCustomer !== undefined) {
    if (context.customerId === undefined) {
      return refuse("UsageLimitPerCustomer", "its per-customer limit needs a known customer")
    }
    if ((usage.usedByCustomer ?? 0) >= usage.limitPerCustomer) {
      return refuse("UsageLimitPerCustomer", "this customer has reached its usage limit")
    }
  }

  const scoped = c.skus !== undefined || c.categories !== undefined
  const qualifying = scoped
    ? work.filter(
        (line) =>
          (c.skus?.includes(line.sku) ?? false) ||
          (c.categories?.some((category) => line.categories.includes(category)) ?? false)
      )
    : work
  if (qualifying.length === 0) return refuse("NotEligible", "the cart holds no qualifying item")
  const action = promotion.action
  const targets =
    action._tag === "FreeItem" ? work.filter((line) => line.sku === action.sku) : qualifying
  if (targets.length === 0) return refuse("NotEligible", "the cart holds no item it discounts")
  return { _tag: "Eligible", eligible: { promotion, targets, coded } }
}

const sumRemaining = (lines: ReadonlyArray<Work>): bigint => {
  let total = 0n
  for (const line of lines) total += line.remaining
  return total
}

const allocate = (amount: bigint, weights: ReadonlyArray<bigint>): Array<bigint> =>
  Money.allocate(Money.make("EUR", amount), weights).map((part) => part.minor)

/** The keys cart-wide discounts are spread by, coarsest first: tax rate and basis, then item. */
const spreadKeys: ReadonlyArray<(line: Work) => string> = [
  (line) => line.taxKey,
  (line) => `${line.sku}\u0000${line.categories.join("\u0000")}`
]

/**
 * Spreads `amount` over lines in proportion to what is left of them, by
 * largest remainder at each level of {@link spreadKeys}: first over the
 * groups of lines sharing a tax rate and basis, then over the items within
 * each, then over the lines of one item. A group's share depends only on
 * group sums, so splitting a line into units moves no minor unit between
 * tax rates or items.
 */
const spread = (amount: bigint, lines: ReadonlyArray<Work>): Array<bigint> => {
  const result = lines.map(() => 0n)
  const visit = (share: bigint, members: ReadonlyArray<number>, level: number): void => {
    const key = spreadKeys[level]
    if (key === undefined) {
      const parts = allocate(
        share,
        members.map((at) => lines[at]!.remaining)
      )
      members.forEach((at, n) => {
        result[at] = parts[n]!
      })
      return
    }
    const groups = new Map<string, Array<number>>()
    for (const at of members) {
      const k = key(lines[at]!)
      const group = groups.get(k)
      if (group === undefined) groups.set(k, [at])
      else group.push(at)
    }
    if (groups.size === 1) return visit(share, members, level + 1)
    const all = [...groups.values()]
    const shares = allocate(
      share,
      all.map((group) => group.reduce((acc, at) => acc + lines[at]!.remaining, 0n))
    )
    all.forEach((group, n) => visit(shares[n]!, group, level + 1))
  }
  visit(
    amount,
    lines.map((_, at) => at),
    0
  )
  return result
}

/** The discount a promotion gives each of its targets, on the amounts left now. */
const discountsOf = (
  action: Promotion.Action,
  targets: ReadonlyArray<Work>,
  mode: Rounding.RoundingMode
): Array<bigint> => {
  switch (action._tag) {
    case "PercentOffLines": {
      const { numerator, denominator } = action.percent
      return targets.map((t) => Rounding.divide(t.remaining * numerator, denominator, mode))
    }
    case "AmountOffUnits":
      return targets.map((t) => {
        const off = action.amount.minor * t.units
        return off < t.remaining ? off : t.remaining
      })
    case "FixedUnitPrice":
      return targets.map((t) => {
        const off = t.remaining - action.amount.minor * t.units
        return off > 0n ? off : 0n
      })
    case "PercentOffCart": {
      const { numerator, denominator } = action.percent
      const whole = sumRemaining(targets)
      return spread(Rounding.divide(whole * numerator, denominator, mode), targets)
    }
    case "AmountOffCart": {
      const whole = sumRemaining(targets)
      return spread(action.amount.minor < whole ? action.amount.minor : whole, targets)
    }
    case "BuyXGetY": {
      const { numerator, denominator } = action.percent
      const units = targets.reduce((acc, t) => acc + t.units, 0n)
      let free = (units / BigInt(action.buy + action.get)) * BigInt(action.get)
      const cheapestFirst = targets
        .map((target, at) => ({ target, at }))
        .sort(
          (a, b) =>
            Number(a.target.remaining * b.target.units - b.target.remaining * a.target.units) ||
            a.at - b.at
        )
      const result = targets.map(() => 0n)
      for (const { target, at } of cheapestFirst) {
        if (free === 0n) break
        const taken = free < target.units ? free : target.units
        free -= taken
        result[at] = Rounding.divide(
          target.remaining * taken * numerator,
          target.units * denominator,
          mode
        )
      }
      return result
    }
    case "FreeItem": {
      let free = BigInt(action.quantity)
      return targets.map((t) => {
        const taken = free < t.units ? free : t.units
        free -= taken
        return Rounding.divide(t.remaining * taken, t.units, mode)
      })
    }
  }
}

const byPrecedence = (a: Eligible, b: Eligible): number =>
  b.promotion.priority - a.promotion.priority || compareText(a.promotion.id, b.promotion.id)

const applyPromotions = (
  input: Input,
  work: ReadonlyArray<Work>,
  currency: Currency.CurrencyCode,
  explanation: Array<Explanation>
): void => {
  const entered = new Set(input.codes.map(Promotion.normalizeCode).filter((c) => c !== ""))
  const known = new Set<string>()
  const eligible: Array<Eligible> = []
  for (const promotion of input.promotions) {
    for (const code of promotion.conditions.codes ?? []) known.add(Promotion.normalizeCode(code))
    const verdict = judge(promotion, input.context, entered, work)
    if (verdict._tag === "Eligible") eligible.push(verdict.eligible)
    else if (verdict.explanation !== undefined) explanation.push(verdict.explanation)
  }
  for (const code of [...entered].sort()) {
    if (!known.has(code)) explanation.push(Explanation.UnknownCode({ code }))
  }
  eligible.sort(byPrecedence)

  const reaches = (e: Eligible): boolean => {
    const min = e.promotion.conditions.minSubtotal
    return min === undefined || sumRemaining(work) >= min.minor
  }
  const exclude = (e: Eligible, detail: string): void => {
    explanation.push(
      Explanation.PromotionRefused({ promotion: e.promotion.id, reason: "Excluded", detail })
    )
  }

  const exclusive = eligible.find((e) => e.promotion.exclusive && reaches(e))
  const steps: Array<Array<Eligible>> = []
  if (exclusive !== undefined) {
    steps.push([exclusive])
    for (const e of eligible) {
      if (e !== exclusive) exclude(e, `exclusive promotion ${exclusive.promotion.id} applies`)
    }
  } else {
    const groups = new Map<string, Array<Eligible>>()
    for (const e of eligible) {
      if (e.promotion.exclusive) continue
      const group = e.promotion.group
      if (group === undefined) {
        steps.push([e])
        continue
      }
      const members = groups.get(group)
      if (members === undefined) {
        const created = [e]
        groups.set(group, created)
        steps.push(created)
      } else members.push(e)
    }
  }

  const mode = (p: Promotion.Promotion): Rounding.RoundingMode =>
    p.rounding ?? input.discountRounding ?? input.tax.rounding
  let stoppedBy: string | undefined
  for (const step of steps) {
    if (stoppedBy !== undefined) {
      for (const e of step) exclude(e, `promotion ${stoppedBy} stops later promotions`)
      continue
    }
    let best: { e: Eligible; discounts: Array<bigint>; total: bigint } | undefined
    for (const e of step) {
      if (!reaches(e)) {
        if (e.coded) {
          const detail = "the cart does not reach its minimum subtotal"
          explanation.push(
            Explanation.PromotionRefused({
              promotion: e.promotion.id,
              reason: "NotEligible",
              detail
            })
          )
        }
        continue
      }
      const discounts = discountsOf(e.promotion.action, e.targets, mode(e.promotion))
      const total = discounts.reduce((acc, d) => acc + d, 0n)
      if (best === undefined || total > best.total) {
        if (best !== undefined)
          exclude(best.e, `a better deal of group ${e.promotion.group} applies`)
        best = { e, discounts, total }
      } else exclude(e, `a better deal of group ${e.promotion.group} applies`)
    }
    if (best === undefined) continue

    const { e, discounts, total } = best
    const rounding = mode(e.promotion)
    const base = sumRemaining(e.targets)
    e.targets.forEach((target, at) => {
      const discount = discounts[at]!
      if (discount === 0n) return
      target.explanation.push(
        Explanation.Discount({
          promotion: e.promotion.id,
          action: e.promotion.action._tag,
          base: Money.make(currency, target.remaining),
          amount: Money.make(currency, discount),
          rounding
        })
      )
      target.remaining -= discount
    })
    explanation.push(
      Explanation.Discount({
        promotion: e.promotion.id,
        action: e.promotion.action._tag,
        base: Money.make(currency, base),
        amount: Money.make(currency, total),
        rounding
      })
    )
    if (e.promotion.stopAfter) stoppedBy = e.promotion.id
  }
}

// ---------------------------------------------------------------------------
// Tax
// ---------------------------------------------------------------------------

const applyTax = (
  input: Input,
  work: ReadonlyArray<Work>,
  currency: Currency.CurrencyCode,
  explanation: Array<Explanation>
): void => {
  const policy = input.tax
  const groups = new Map<Tax.TaxRate, Array<Work>>()
  for (const line of work) {
    const members = groups.get(line.rate)
    if (members === undefined) groups.set(line.rate, [line])
    else members.push(line)
  }

  const explain = (line: Work, rate: Tax.TaxRate, exact: string): void => {
    line.explanation.push(
      Explanation.Tax({
        region: rate.region,
        taxClass: rate.taxClass,
        rate: Ratio.format(rate.rate),
        base: Money.make(currency, line.remaining),
        taxInclusive: line.taxInclusive,
        level: policy.level,
        calculation: policy.calculation,
        rounding: policy.rounding,
        exact,
        amount: Money.make(currency, line.tax)
      })
    )
  }

  if (policy.level === "Line") {
    for (const line of work) {
      const rate = line.rate
      const [numerator, denominator] = Tax.exact(line.remaining, rate.rate, line.taxInclusive)
      line.tax =
        policy.calculation === "Unit"
          ? Tax.roundPerUnit(
              line.remaining,
              line.units,
              rate.rate,
              line.taxInclusive,
              policy.rounding
            )
          : Rounding.divide(numerator, denominator, policy.rounding)
      explain(line, rate, fraction(numerator, denominator))
    }
    return
  }

  for (const [rate, lines] of groups) {
    const { numerator: n, denominator: d } = rate.rate
    const common = d * (d + n)
    const weights = lines.map((line) =>
      line.taxInclusive ? line.remaining * n * d : line.remaining * n * (d + n)
    )
    const exact = weights.reduce((acc, w) => acc + w, 0n)
    const total = Rounding.divide(exact, common, policy.rounding)
    const parts = Money.allocate(Money.make(currency, total), weights)
    lines.forEach((line, at) => {
      line.tax = parts[at]!.minor
      explain(line, rate, `${fraction(weights[at]!, common)}, allocated from the total`)
    })
    explanation.push(
      Explanation.Tax({
        region: rate.region,
        taxClass: rate.taxClass,
        rate: Ratio.format(rate.rate),
        base: Money.make(currency, sumRemaining(lines)),
        taxInclusive: lines.every((line) => line.taxInclusive),
        level: policy.level,
        calculation: policy.calculation,
        rounding: policy.rounding,
        exact: fraction(exact, common),
        amount: Money.make(currency, total)
      })
    )
  }
}

// ---------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------

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

  const problem = validatePromotions(input.promotions, priceIndex)
  if (problem !== null) return Either.left(problem)
  const explanation: Array<Explanation> = []
  applyPromotions(input, work, currency, explanation)
  applyTax(input, work, currency, explanation)

  const lines: Array<PricedLine> = new Array(work.length)
  let subtotal = 0n
  let discount = 0n
  let net = 0n
  let tax = 0n
  let total = 0n
  for (const line of work) {
    const lineNet = line.taxInclusive ? line.remaining - line.tax : line.remaining
    const lineTotal = lineNet + line.tax
    subtotal += line.subtotal
    discount += line.subtotal - line.remaining
    net += lineNet
    tax += line.tax
    total += lineTotal
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
      total: Money.make(currency, lineTotal),
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
    total: Money.make(currency, total),
    explanation
  })
}
