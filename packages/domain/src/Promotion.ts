/**
 * Promotions: conditions that make a promotion eligible, and the action it
 * takes on the cart.
 *
 * How the engine applies them (see `PriceEngine`):
 * 1. A promotion is eligible when every condition it sets holds: one of its
 *    codes was entered, the shopper's group, region and channel are listed,
 *    the instant is inside `[validFrom, validUntil)`, its usage counts are
 *    below their limits, the cart holds a qualifying line (by SKU or
 *    category) and, at the moment it applies, the amounts left by earlier
 *    promotions reach `minSubtotal`.
 * 2. If any eligible promotion is `exclusive`, the first of them (highest
 *    priority, then smallest id) applies alone.
 * 3. Otherwise promotions apply one after the other, highest `priority`
 *    first and by id among equal priorities, each to the amounts the ones
 *    before it left. Promotions sharing a `group` are alternatives: at the
 *    group's turn, the one giving the largest discount applies and the
 *    others do not. A promotion with `stopAfter` ends the sequence.
 * 4. No discount exceeds the amount it discounts, so no total goes below zero.
 *
 * Usage limits are checked, not counted: the caller passes the current counts.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { CategoryCode, Sku } from "./Ids"
import type { Money } from "./Money"
import * as Ratio from "./Ratio"
import type { RoundingMode } from "./Rounding"

/** What a promotion does to the lines it targets. */
export type Action = Data.TaggedEnum<{
  /** A percentage off each targeted line. */
  PercentOffLines: { readonly percent: Ratio.Ratio }
  /** A fixed amount off each targeted unit, never below zero. */
  AmountOffUnits: { readonly amount: Money }
  /** Each targeted unit costs `amount` (when that is lower than its price). */
  FixedUnitPrice: { readonly amount: Money }
  /** A percentage off the targeted lines' total, rounded once and allocated over them. */
  PercentOffCart: { readonly percent: Ratio.Ratio }
  /** A fixed amount off the targeted lines' total, allocated over them. */
  AmountOffCart: { readonly amount: Money }
  /**
   * For every `buy + get` targeted units, `get` units are discounted by
   * `percent`: the cheapest units of the cart are the discounted ones.
   */
  BuyXGetY: { readonly buy: number; readonly get: number; readonly percent: Ratio.Ratio }
  /** Up to `quantity` units of `sku` in the cart are free. The engine never adds lines. */
  FreeItem: { readonly sku: Sku; readonly quantity: number }
}>

/** Constructors and matchers of {@link Action}. */
export const Action = Data.taggedEnum<Action>()

/** How often a promotion was already used, and its limits. */
export interface Usage {
  /** The most uses of each code. */
  readonly limitPerCode?: number
  /** Uses so far, by code. */
  readonly usedByCode?: Readonly<Record<string, number>>
  /** The most uses by one customer. */
  readonly limitPerCustomer?: number
  /** Uses so far by the customer being priced. */
  readonly usedByCustomer?: number
}

/** When a promotion is eligible; an absent condition always holds. */
export interface Conditions {
  /** Codes that unlock it (compared trimmed and case-insensitively). */
  readonly codes?: ReadonlyArray<string>
  readonly customerGroups?: ReadonlyArray<string>
  readonly regions?: ReadonlyArray<string>
  readonly channels?: ReadonlyArray<string>
  /** The SKUs that qualify and are targeted. */
  readonly skus?: ReadonlyArray<Sku>
  /** The categories whose lines qualify and are targeted. */
  readonly categories?: ReadonlyArray<CategoryCode | string>
  /** The least the cart must be worth, after earlier promotions. */
  readonly minSubtotal?: Money
  readonly validFrom?: Date
  /** Exclusive: the promotion ends at this instant. */
  readonly validUntil?: Date
  readonly usage?: Usage
}

/** A promotion. Build it with {@link make}. */
export interface Promotion {
  readonly id: string
  readonly priority: number
  readonly conditions: Conditions
  readonly action: Action
  /** Applies alone: when eligible, no other promotion applies. */
  readonly exclusive: boolean
  /** No promotion after this one applies. */
  readonly stopAfter: boolean
  /** Promotions of one group are alternatives: only the best deal applies. */
  readonly group?: string
  /** The rounding of its discounts; else the engine's discount rounding. */
  readonly rounding?: RoundingMode
}

/** Builds a promotion with no conditions, priority 0, combinable. */
export const make = (options: {
  readonly id: string
  readonly action: Action
  readonly priority?: number
  readonly conditions?: Conditions
  readonly exclusive?: boolean
  readonly stopAfter?: boolean
  readonly group?: string
  readonly rounding?: RoundingMode
}): Promotion => ({
  id: options.id,
  action: options.action,
  priority: options.priority ?? 0,
  conditions: options.conditions ?? {},
  exclusive: options.exclusive ?? false,
  stopAfter: options.stopAfter ?? false,
  ...(options.group === undefined ? {} : { group: options.group }),
  ...(options.rounding === undefined ? {} : { rounding: options.rounding })
})

/** `percent` % off each targeted line. */
export const percentOffLines = (percent: number | string): Action =>
  Action.PercentOffLines({ percent: Ratio.percent(percent) })

/** `percent` % off the targeted lines' total. */
export const percentOffCart = (percent: number | string): Action =>
  Action.PercentOffCart({ percent: Ratio.percent(percent) })

/** Buy `buy`, get `get` free (or `percent` % off). */
export const buyXGetY = (buy: number, get: number, percent: number | string = 100): Action =>
  Action.BuyXGetY({ buy, get, percent: Ratio.percent(percent) })

/** Normalizes a code for comparison: trimmed, upper case. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase()

/** Every Money the promotion carries, to check its currency. */
export const amounts = (self: Promotion): ReadonlyArray<Money> => {
  const own: Array<Money> = []
  if (self.conditions.minSubtotal !== undefined) own.push(self.conditions.minSubtotal)
  switch (self.action._tag) {
    case "AmountOffUnits":
    case "FixedUnitPrice":
    case "AmountOffCart":
      own.push(self.action.amount)
  }
  return own
}
