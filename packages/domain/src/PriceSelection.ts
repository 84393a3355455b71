/**
 * Choosing the one price that applies to a line.
 *
 * A price is a candidate for a line when its list is in the cart's currency,
 * its SKU is the line's, and every scope it sets matches the pricing
 * context: customer, customer group, region (a country price also applies in
 * its sub-regions: "US" covers "US-CA"), channel, validity window
 * `[validFrom, validUntil)` and quantity tier (`minQuantity` at most the
 * cart's quantity of that SKU over all its lines).
 *
 * Among candidates, the precedence is, in order:
 * 1. the most specific scope, compared field by field: a customer price, then
 *    a customer-group price, then a sub-region over a country over no region,
 *    then a channel price, then a dated price, then the highest quantity tier;
 * 2. the list kind: Override, then Contract, then Sale, then Base;
 * 3. the list's priority, highest first;
 * 4. the lowest amount;
 * 5. the list id, then the price id (a stable, order-free tie-break).
 *
 * With the `Refuse` tie policy, two candidates equal on 1 to 3 are an
 * `AmbiguousPrice` error instead of being settled by 4 and 5.
 *
 * When the winner is from a Sale list, the best Base candidate with the
 * same tax inclusion is its compare-at price, if it is higher.
 *
 * Since specificity is a property of the price itself, the index sorts each
 * SKU's prices by precedence once; selection then takes the first candidate
 * whose scope matches.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { Sku } from "./Ids"
import type { Money } from "./Money"
import type { Price, PriceList, PriceListKind } from "./PriceList"
import { PricingError } from "./PricingError"
import type { PricingContext } from "./PricingContext"

/** What happens when two prices tie on scope, kind and priority. */
export type TiePolicy = "LowestPrice" | "Refuse"

/** How prices are selected. */
export interface Policy {
  readonly ties: TiePolicy
}

/** The default policy: ties go to the lowest price, then the stable id. */
export const defaultPolicy: Policy = { ties: "LowestPrice" }

/** One indexed price with its list and its precomputed precedence keys. */
export interface Candidate {
  readonly list: PriceList
  readonly price: Price
  readonly amount: Money
  readonly taxInclusive: boolean
  readonly kind: PriceListKind
  /** Scope specificity, as bits: customer, group, region (2), channel, window. */
  readonly scope: number
  readonly kindRank: number
  readonly priority: number
  readonly minQuantity: number
  readonly from: number
  readonly until: number
  /** The price's scope, copied here so that matching reads one object. */
  readonly customerId: string | undefined
  readonly customerGroup: string | undefined
  readonly region: string | undefined
  readonly channel: string | undefined
  /** Why this price wins when it does, written on first use. */
  precedence?: string
}

const IndexTypeId: unique symbol = Symbol.for("@mercantile/domain/PriceSelection/PriceIndex")

/** Price lists indexed by currency and SKU, sorted by precedence. Build once, reuse across carts. */
export interface PriceIndex {
  readonly [IndexTypeId]: typeof IndexTypeId
  /** Each currency's candidates by SKU, best first. */
  readonly candidates: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<Candidate>>>
  /** Every SKU a list names, with the currencies it has a valid price in (in list order). */
  readonly skus: ReadonlyMap<string, ReadonlyArray<string>>
  /** The first problem of each SKU that has a price with bad data. */
  readonly skuProblems: ReadonlyMap<string, PricingError>
  /** Every price that could not be indexed, with its reason. */
  readonly problems: ReadonlyArray<PricingError>
}

/** True when `u` is a {@link PriceIndex}. */
export const isIndex = (u: unknown): u is PriceIndex =>
  typeof u === "object" && u !== null && IndexTypeId in u

const kindRanks: Record<PriceListKind, number> = { Override: 3, Contract: 2, Sale: 1, Base: 0 }

const scopeOf = (price: Price): number =>
  (price.customerId === undefined ? 0 : 32) |
  (price.customerGroup === undefined ? 0 : 16) |
  (price.region === undefined ? 0 : price.region.includes("-") ? 12 : 4) |
  (price.channel === undefined ? 0 : 2) |
  (price.validFrom === undefined && price.validUntil === undefined ? 0 : 1)

/** Orders candidates by precedence, steps 1 to 3 only. */
const compareRank = (a: Candidate, b: Candidate): number =>
  b.scope - a.scope ||
  b.minQuantity - a.minQuantity ||
  b.kindRank - a.kindRank ||
  b.priority - a.priority

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Orders candidates by the full precedence. */
export const compare = (a: Candidate, b: Candidate): number =>
  compareRank(a, b) ||
  (a.amount.minor < b.amount.minor ? -1 : a.amount.minor > b.amount.minor ? 1 : 0) ||
  compareText(a.list.id, b.list.id) ||
  compareText(a.price.id, b.price.id)

const ruleOf = (list: PriceList, price: Price): string => `${list.id}/${price.id}`

const problemOf = (list: PriceList, price: Price): PricingError | undefined => {
  const rule = ruleOf(list, price)
  if (price.amount.currency !== list.currency) {
    return new PricingError({
      reason: "MixedCurrencies",
      sku: price.sku,
      rule,
      detail: `Price ${rule} is in ${price.amount.currency}, its list in ${list.currency}`
    })
  }
  if (price.amount.minor < 0n) {
    return new PricingError({
      reason: "InvalidPrice",
      sku: price.sku,
      rule,
      detail: `Price ${rule} for ${price.sku} is negative`
    })
  }
  if (
    price.validFrom !== undefined &&
    price.validUntil !== undefined &&
    !(price.validFrom.getTime() < price.validUntil.getTime())
  ) {
    return new PricingError({
      reason: "InvalidValidity",
      sku: price.sku,
      rule,
      detail: `Price ${rule} for ${price.sku} ends before it starts`
    })
  }
  if (!Number.isSafeInteger(price.minQuantity) || price.minQuantity < 1) {
    return new PricingError({
      reason: "InvalidRule",
      sku: price.sku,
      rule,
      detail: `Price ${rule} has a minimum quantity that is not a positive whole number`
    })
  }
  return undefined
}

/**
 * Indexes price lists by SKU and currency. A price with bad data (negative,
 * in another currency than its list, an inverted window, a duplicate id)
 * does not vanish: its SKU is marked, and pricing that SKU fails naming it.
 */
export const index = (lists: ReadonlyArray<PriceList>): PriceIndex => {
  const candidates = new Map<string, Map<string, Array<Candidate>>>()
  const skus = new Map<string, Array<string>>()
  const skuProblems = new Map<string, PricingError>()
  const problems: Array<PricingError> = []

  for (const list of lists) {
    const seen = new Set<string>()
    let bySku = candidates.get(list.currency)
    if (bySku === undefined) {
      bySku = new Map()
      candidates.set(list.currency, bySku)
    }
    for (const price of list.prices) {
      let currencies = skus.get(price.sku)
      if (currencies === undefined) {
        currencies = []
        skus.set(price.sku, currencies)
      }
      const duplicate = seen.has(price.id)
      seen.add(price.id)
      const problem = duplicate
        ? new PricingError({
            reason: "InvalidRule",
            sku: price.sku,
            rule: ruleOf(list, price),
            detail: `Price id ${price.id} appears twice in list ${list.id}`
          })
        : problemOf(list, price)
      if (problem !== undefined) {
        problems.push(problem)
        if (!skuProblems.has(price.sku)) skuProblems.set(price.sku, problem)
        continue
      }
      let found = bySku.get(price.sku)
      if (found === undefined) {
        found = []
        bySku.set(price.sku, found)
      }
      if (!currencies.includes(list.currency)) currencies.push(list.currency)
      found.push({
        list,
        price,
        amount: price.amount,
        taxInclusive: list.taxInclusive,
        kind: list.kind,
        scope: scopeOf(price),
        kindRank: kindRanks[list.kind],
        priority: list.priority,
        minQuantity: price.minQuantity,
        from: price.validFrom?.getTime() ?? Number.NEGATIVE_INFINITY,
        until: price.validUntil?.getTime() ?? Number.POSITIVE_INFINITY,
        customerId: price.customerId,
        customerGroup: price.customerGroup,
        region: price.region,
        channel: price.channel
      })
    }
  }

  for (const bySku of candidates.values()) {
    for (const found of bySku.values()) found.sort(compare)
  }
  return { [IndexTypeId]: IndexTypeId, candidates, skus, skuProblems, problems }
}

/** True when some price list of the index prices `sku`, in any currency. */
export const knows = (self: PriceIndex, sku: string): boolean => self.skus.has(sku)

/** True when a candidate's scope matches the context and the quantity. */
export const matches = (
  candidate: Candidate,
  context: PricingContext,
  at: number,
  quantity: number
): boolean => {
  if (candidate.minQuantity > quantity) return false
  if (at < candidate.from || at >= candidate.until) return false
  const { channel, customerGroup, customerId, region } = candidate
  if (customerId !== undefined && customerId !== context.customerId) return false
  if (customerGroup !== undefined && customerGroup !== context.customerGroup) return false
  if (channel !== undefined && channel !== context.channel) return false
  if (region !== undefined && region !== context.region) {
    return context.region.startsWith(`${region}-`)
  }
  return true
}

/** The price that applies to a line, and the compare-at price beside it. */
export interface Selection {
  readonly chosen: Candidate
  readonly compareAt: Option.Option<Candidate>
}

/** Describes why a candidate won, for explanations. */
export const describe = (candidate: Candidate): string =>
  (candidate.precedence ??= precedenceOf(candidate))

const precedenceOf = (candidate: Candidate): string => {
  const price = candidate.price
  const scope = [
    price.customerId === undefined ? undefined : `customer ${price.customerId}`,
    price.customerGroup === undefined ? undefined : `group ${price.customerGroup}`,
    price.region === undefined ? undefined : `region ${price.region}`,
    price.channel === undefined ? undefined : `channel ${price.channel}`,
    candidate.scope & 1 ? "dated" : undefined,
    `tier ${price.minQuantity}`
  ].filter((part) => part !== undefined)
  return `${scope.join(", ")}; kind ${candidate.kind}; priority ${candidate.priority}`
}

const noCandidates: ReadonlyArray<Candidate> = []

/**
 * Selects the price of `sku` for a cart holding `quantity` units of it in
 * all, under `context`.
 */
export const select = (
  self: PriceIndex,
  sku: Sku,
  quantity: number,
  context: PricingContext,
  policy: Policy = defaultPolicy
): Either.Either<Selection, PricingError> => {
  const problem = self.skuProblems.get(sku)
  if (problem !== undefined) return Either.left(problem)
  const found = self.candidates.get(context.currency)?.get(sku)
  const candidates = found ?? noCandidates
  const at = context.at.getTime()

  let chosen: Candidate | undefined
  let compareAt: Candidate | undefined
  for (let n = 0; n < candidates.length; n++) {
    const candidate = candidates[n]!
    if (!matches(candidate, context, at, quantity)) continue
    if (chosen === undefined) {
      chosen = candidate
      if (chosen.kind !== "Sale" && policy.ties === "LowestPrice") break
      continue
    }
    const tie = compareRank(chosen, candidate) === 0
    if (tie && policy.ties === "Refuse") {
      return Either.left(
        new PricingError({
          reason: "AmbiguousPrice",
          sku,
          rule: ruleOf(chosen.list, chosen.price),
          detail:
            `Prices ${ruleOf(chosen.list, chosen.price)} and ` +
            `${ruleOf(candidate.list, candidate.price)} tie for ${sku}`
        })
      )
    }
    const isCompareAt =
      chosen.kind === "Sale" &&
      compareAt === undefined &&
      candidate.kind === "Base" &&
      candidate.taxInclusive === chosen.taxInclusive
    if (isCompareAt) compareAt = candidate
    const tiesSettled = policy.ties === "LowestPrice" || !tie
    if (tiesSettled && (chosen.kind !== "Sale" || compareAt !== undefined)) break
  }

  if (chosen === undefined) {
    const elsewhere = (self.skus.get(sku) ?? []).filter((c) => c !== context.currency)
    return Either.left(
      found === undefined && elsewhere.length > 0
        ? new PricingError({
            reason: "MixedCurrencies",
            sku,
            detail: `${sku} is priced in ${elsewhere.join(", ")}, the cart in ${context.currency}`
          })
        : new PricingError({
            reason: "NoPrice",
            sku,
            detail: `No ${context.currency} price applies to ${sku} for this shopper and quantity`
          })
    )
  }
  return Either.right({
    chosen,
    compareAt:
      compareAt !== undefined && compareAt.amount.minor > chosen.amount.minor
        ? Option.some(compareAt)
        : Option.none()
  })
}
