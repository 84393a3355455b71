/**
 * The promotion step of the engine: validation, eligibility, ordering and
 * application, as documented in `Promotion`.
 *
 * @internal
 */
import type * as Currency from "../../Currency"
import type { Explanation, RefusalReason } from "../../Explanation"
import type { Sku } from "../../Ids"
import * as Money from "../../Money"
import * as PriceSelection from "../../PriceSelection"
import { PricingError } from "../../PricingError"
import type { PricingContext } from "../../PricingContext"
import * as Promotion from "../../Promotion"
import * as Ratio from "../../Ratio"
import * as Rounding from "../../Rounding"
import { spread, sumRemaining, type WorkLine } from "./WorkLine"

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

const findProblem = (p: Promotion.Promotion): PricingError | null => {
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

/** A promotion prepared once for fast eligibility checks. */
interface Compiled {
  readonly promotion: Promotion.Promotion
  readonly problem: PricingError | null
  readonly codes: ReadonlyArray<string> | undefined
  readonly skus: ReadonlySet<string> | undefined
  readonly categories: ReadonlySet<string> | undefined
  readonly amounts: ReadonlyArray<Money.Money>
  readonly from: number
  readonly until: number
  /** Uses so far by normalized code. */
  readonly usedByCode: ReadonlyMap<string, number>
}

const compiled = new WeakMap<Promotion.Promotion, Compiled>()

/** Uses by normalized code: codes that differ only in case or spaces count together. */
const usesByCode = (usage: Promotion.Usage | undefined): ReadonlyMap<string, number> => {
  const uses = new Map<string, number>()
  for (const [key, count] of Object.entries(usage?.usedByCode ?? {})) {
    const code = Promotion.normalizeCode(key)
    uses.set(code, (uses.get(code) ?? 0) + count)
  }
  return uses
}

const compile = (promotion: Promotion.Promotion): Compiled => {
  let found = compiled.get(promotion)
  if (found === undefined) {
    const c = promotion.conditions
    found = {
      promotion,
      problem: findProblem(promotion),
      codes:
        c.codes !== undefined && c.codes.length > 0
          ? c.codes.map(Promotion.normalizeCode)
          : undefined,
      skus: c.skus === undefined ? undefined : new Set(c.skus),
      categories: c.categories === undefined ? undefined : new Set(c.categories),
      amounts: Promotion.amounts(promotion),
      from: c.validFrom?.getTime() ?? Number.NEGATIVE_INFINITY,
      until: c.validUntil?.getTime() ?? Number.POSITIVE_INFINITY,
      usedByCode: usesByCode(c.usage)
    }
    compiled.set(promotion, found)
  }
  return found
}

const unknownSkus = new WeakMap<
  PriceSelection.PriceIndex,
  WeakMap<Promotion.Promotion, PricingError | null>
>()

const findUnknownSku = (
  promotion: Promotion.Promotion,
  priceIndex: PriceSelection.PriceIndex
): PricingError | null => {
  let byPromotion = unknownSkus.get(priceIndex)
  if (byPromotion === undefined) {
    byPromotion = new WeakMap()
    unknownSkus.set(priceIndex, byPromotion)
  }
  const cached = byPromotion.get(promotion)
  if (cached !== undefined) return cached
  const named = [...(promotion.conditions.skus ?? [])]
  if (promotion.action._tag === "FreeItem") named.push(promotion.action.sku)
  const unknown = named.find((sku) => !PriceSelection.knows(priceIndex, sku))
  const problem =
    unknown === undefined
      ? null
      : invalid(promotion, "UnknownSku", `no price list knows SKU ${unknown}`, unknown)
  byPromotion.set(promotion, problem)
  return problem
}

/**
 * A list of promotions prepared once and reused while the list is unchanged:
 * each promotion compiled, every code, the promotions naming each SKU and
 * category, and the validation against each price index.
 */
export interface Prepared {
  readonly promotions: ReadonlyArray<Promotion.Promotion>
  readonly compiled: ReadonlyArray<Compiled>
  /** Every code of every promotion, normalized. */
  readonly codes: ReadonlySet<string>
  /** Positions of the promotions whose conditions name a SKU. */
  readonly bySku: ReadonlyMap<string, ReadonlyArray<number>>
  /** Positions of the promotions whose conditions name a category. */
  readonly byCategory: ReadonlyMap<string, ReadonlyArray<number>>
  readonly problems: WeakMap<PriceSelection.PriceIndex, PricingError | null>
}

const preparedLists = new WeakMap<ReadonlyArray<Promotion.Promotion>, Prepared>()

const sameElements = <A>(a: ReadonlyArray<A>, b: ReadonlyArray<A>): boolean => {
  if (a.length !== b.length) return false
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return false
  return true
}

const addTo = (index: Map<string, Array<number>>, key: string, at: number): void => {
  const positions = index.get(key)
  if (positions === undefined) index.set(key, [at])
  else positions.push(at)
}

/** Prepares a list of promotions, or finds it prepared (checking it has not changed since). */
export const prepare = (promotions: ReadonlyArray<Promotion.Promotion>): Prepared => {
  const found = preparedLists.get(promotions)
  if (found !== undefined && sameElements(found.promotions, promotions)) return found

  const codes = new Set<string>()
  const bySku = new Map<string, Array<number>>()
  const byCategory = new Map<string, Array<number>>()
  const all = promotions.map((promotion, at) => {
    const c = compile(promotion)
    for (const code of c.codes ?? []) codes.add(code)
    for (const sku of c.skus ?? []) addTo(bySku, sku, at)
    for (const category of c.categories ?? []) addTo(byCategory, category, at)
    return c
  })
  const prepared: Prepared = {
    promotions: [...promotions],
    compiled: all,
    codes,
    bySku,
    byCategory,
    problems: new WeakMap()
  }
  preparedLists.set(promotions, prepared)
  return prepared
}

/**
 * Checks every promotion: its own data (percentages, windows, counts), that
 * ids are unique, and that every SKU it names is known to the price lists.
 */
export const validate = (
  prepared: Prepared,
  priceIndex: PriceSelection.PriceIndex
): PricingError | null => {
  let problem = prepared.problems.get(priceIndex)
  if (problem === undefined) {
    problem = findFirstProblem(prepared.compiled, priceIndex)
    prepared.problems.set(priceIndex, problem)
  }
  return problem
}

const findFirstProblem = (
  all: ReadonlyArray<Compiled>,
  priceIndex: PriceSelection.PriceIndex
): PricingError | null => {
  const ids = new Set<string>()
  for (const { promotion, problem } of all) {
    const found = problem ?? findUnknownSku(promotion, priceIndex)
    if (found !== null) return found
    if (ids.has(promotion.id)) return invalid(promotion, "InvalidRule", "its id is used twice")
    ids.add(promotion.id)
  }
  return null
}

/**
 * The lines each promotion that names SKUs or categories qualifies, in the
 * order of `work`; `undefined` for a promotion that names neither.
 */
const qualifyingLines = (
  prepared: Prepared,
  work: ReadonlyArray<WorkLine>
): Array<Array<WorkLine> | undefined> => {
  const { bySku, byCategory, compiled: all } = prepared
  const lines: Array<Array<WorkLine> | undefined> = new Array(all.length)
  for (let at = 0; at < all.length; at++) {
    const c = all[at]!
    if (c.skus !== undefined || c.categories !== undefined) lines[at] = []
  }
  const add = (positions: ReadonlyArray<number> | undefined, line: WorkLine): void => {
    if (positions === undefined) return
    for (const at of positions) {
      const qualified = lines[at]!
      if (qualified[qualified.length - 1] !== line) qualified.push(line)
    }
  }
  for (const line of work) {
    add(bySku.get(line.sku), line)
    if (byCategory.size === 0) continue
    for (const category of line.categories) add(byCategory.get(category), line)
  }
  return lines
}

/** A promotion whose static conditions hold, with the lines it targets. */
interface Eligible {
  readonly promotion: Promotion.Promotion
  readonly targets: ReadonlyArray<WorkLine>
  /** True when the shopper entered one of its codes. */
  readonly coded: boolean
}

const refusal = (promotion: string, reason: RefusalReason, detail: string): Explanation => ({
  _tag: "PromotionRefused",
  promotion,
  reason,
  detail
})

/** Eligible, or refused with an explanation when the shopper entered its code. */
const judge = (
  compiledPromotion: Compiled,
  context: PricingContext,
  at: number,
  entered: ReadonlySet<string>,
  work: ReadonlyArray<WorkLine>,
  qualifying: ReadonlyArray<WorkLine>
): Eligible | Explanation | undefined => {
  const { promotion } = compiledPromotion
  const c = promotion.conditions
  let code: string | undefined
  if (compiledPromotion.codes !== undefined) {
    code = compiledPromotion.codes.find((candidate) => entered.has(candidate))
    if (code === undefined) return undefined
  }
  const refuse = (reason: RefusalReason, detail: string) =>
    code === undefined ? undefined : refusal(promotion.id, reason, detail)

  if (at < compiledPromotion.from) return refuse("NotEligible", "it has not started yet")
  if (at >= compiledPromotion.until) return refuse("NotEligible", "it has ended")
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
  const foreign = compiledPromotion.amounts.find((m) => m.currency !== context.currency)
  if (foreign !== undefined) {
    return refuse("OtherCurrency", `its amounts are in ${foreign.currency}`)
  }
  const usage = c.usage
  if (usage?.limitPerCode !== undefined && code !== undefined) {
    if ((compiledPromotion.usedByCode.get(code) ?? 0) >= usage.limitPerCode) {
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

  if (qualifying.length === 0) return refuse("NotEligible", "the cart holds no qualifying item")
  const action = promotion.action
  const targets =
    action._tag === "FreeItem" ? work.filter((line) => line.sku === action.sku) : qualifying
  if (targets.length === 0) return refuse("NotEligible", "the cart holds no item it discounts")
  return { promotion, targets, coded: code !== undefined }
}

/** The actions that take one amount off their targets' total and spread it over them. */
type CartWide = Extract<Promotion.Action, { readonly _tag: "PercentOffCart" | "AmountOffCart" }>

const isCartWide = (action: Promotion.Action): action is CartWide =>
  action._tag === "PercentOffCart" || action._tag === "AmountOffCart"

/** The whole discount of a cart-wide action on `left`, what is left of its targets. */
const cartWideTotal = (action: CartWide, left: bigint, mode: Rounding.RoundingMode): bigint => {
  if (action._tag === "AmountOffCart")
    return action.amount.minor < left ? action.amount.minor : left
  const { denominator, numerator } = action.percent
  return Rounding.divide(left * numerator, denominator, mode)
}

/** The discount a promotion gives each of its targets, on the amounts left now. */
const discountsOf = (
  action: Promotion.Action,
  targets: ReadonlyArray<WorkLine>,
  mode: Rounding.RoundingMode
): Array<bigint> => {
  switch (action._tag) {
    case "PercentOffLines": {
      const { denominator, numerator } = action.percent
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
    case "PercentOffCart":
    case "AmountOffCart":
      return spread(cartWideTotal(action, sumRemaining(targets), mode), targets)
    case "BuyXGetY": {
      const { denominator, numerator } = action.percent
      let units = 0n
      for (const t of targets) units += t.units
      let free = (units / BigInt(action.buy + action.get)) * BigInt(action.get)
      const cheapestFirst = targets
        .map((target, at) => ({ target, at }))
        .sort((a, b) => {
          const left = a.target.remaining * b.target.units
          const right = b.target.remaining * a.target.units
          return left < right ? -1 : left > right ? 1 : a.at - b.at
        })
      const result = targets.map(() => 0n)
      for (const { at, target } of cheapestFirst) {
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

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const byPrecedence = (a: Eligible, b: Eligible): number =>
  b.promotion.priority - a.promotion.priority || compareText(a.promotion.id, b.promotion.id)

/** What the promotion step needs besides the lines. */
export interface Options {
  readonly promotions: Prepared
  readonly codes: ReadonlyArray<string>
  readonly context: PricingContext
  readonly rounding: Rounding.RoundingMode
}

/**
 * Applies the eligible promotions to `work` in order, lowering each line's
 * `remaining`; explains each discount on its lines and in `explanation`.
 */
export const applyPromotions = (
  options: Options,
  work: ReadonlyArray<WorkLine>,
  currency: Currency.CurrencyCode,
  explanation: Array<Explanation>
): void => {
  const entered = new Set<string>()
  for (const code of options.codes) {
    const normalized = Promotion.normalizeCode(code)
    if (normalized !== "") entered.add(normalized)
  }
  const prepared = options.promotions
  const qualifying = qualifyingLines(prepared, work)
  const eligible: Array<Eligible> = []
  const at = options.context.at.getTime()
  for (let n = 0; n < prepared.compiled.length; n++) {
    const c = prepared.compiled[n]!
    const verdict = judge(c, options.context, at, entered, work, qualifying[n] ?? work)
    if (verdict === undefined) continue
    if ("_tag" in verdict) explanation.push(verdict)
    else eligible.push(verdict)
  }
  for (const code of [...entered].sort()) {
    if (!prepared.codes.has(code)) explanation.push({ _tag: "UnknownCode", code })
  }
  if (eligible.length === 0) return
  eligible.sort(byPrecedence)

  // Each applied total is the sum of its discounts, so this stays the sum of `work`'s remaining.
  let cartRemaining = sumRemaining(work)
  const left = (targets: ReadonlyArray<WorkLine>): bigint =>
    targets === work ? cartRemaining : sumRemaining(targets)
  const reaches = (e: Eligible): boolean => {
    const min = e.promotion.conditions.minSubtotal
    return min === undefined || cartRemaining >= min.minor
  }
  const exclude = (e: Eligible, detail: string): void => {
    explanation.push(refusal(e.promotion.id, "Excluded", detail))
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

  const mode = (p: Promotion.Promotion): Rounding.RoundingMode => p.rounding ?? options.rounding
  let stoppedBy: string | undefined
  for (const step of steps) {
    if (stoppedBy !== undefined) {
      for (const e of step) exclude(e, `promotion ${stoppedBy} stops later promotions`)
      continue
    }
    // A cart-wide deal is compared by its total and spread only if it applies.
    let best: { e: Eligible; discounts: Array<bigint> | undefined; total: bigint } | undefined
    for (const e of step) {
      if (!reaches(e)) {
        if (e.coded) {
          const detail = "the cart does not reach its minimum subtotal"
          explanation.push(refusal(e.promotion.id, "NotEligible", detail))
        }
        continue
      }
      const action = e.promotion.action
      const whole = isCartWide(action)
        ? cartWideTotal(action, left(e.targets), mode(e.promotion))
        : undefined
      const discounts =
        whole === undefined ? discountsOf(action, e.targets, mode(e.promotion)) : undefined
      let total = whole ?? 0n
      for (const d of discounts ?? []) total += d
      if (best === undefined || total > best.total) {
        if (best !== undefined)
          exclude(best.e, `a better deal of group ${e.promotion.group} applies`)
        best = { e, discounts, total }
      } else exclude(e, `a better deal of group ${e.promotion.group} applies`)
    }
    if (best === undefined) continue

    const { e, total } = best
    const discounts = best.discounts ?? spread(total, e.targets)
    const rounding = mode(e.promotion)
    const action = e.promotion.action._tag
    const base = left(e.targets)
    for (let n = 0; n < e.targets.length; n++) {
      const target = e.targets[n]!
      const discount = discounts[n]!
      if (discount === 0n) continue
      target.explanation.push({
        _tag: "Discount",
        promotion: e.promotion.id,
        action,
        base: Money.make(currency, target.remaining),
        amount: Money.make(currency, discount),
        rounding
      })
      target.remaining -= discount
    }
    cartRemaining -= total
    explanation.push({
      _tag: "Discount",
      promotion: e.promotion.id,
      action,
      base: Money.make(currency, base),
      amount: Money.make(currency, total),
      rounding
    })
    if (e.promotion.stopAfter) stoppedBy = e.promotion.id
  }
}
