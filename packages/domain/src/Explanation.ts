/**
 * Why each figure of a priced cart is what it is: which price rule, which
 * promotion, which tax rate and which rounding. Explanations are plain data,
 * equal when their contents are equal.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { Sku } from "./Ids"
import type { Money } from "./Money"
import type { PriceListKind } from "./PriceList"
import type { Ratio } from "./Ratio"
import type { RoundingMode } from "./Rounding"

/** Why a promotion did not apply although it was entered or eligible. */
export type RefusalReason =
  "UsageLimitPerCode" | "UsageLimitPerCustomer" | "OtherCurrency" | "Excluded" | "NotEligible"

/** One statement about a figure of a priced line or cart. */
export type Explanation = Data.TaggedEnum<{
  /** The unit price came from this price of this list, chosen by `precedence`. */
  PriceSelected: {
    readonly sku: Sku
    readonly priceList: string
    readonly price: string
    readonly kind: PriceListKind
    readonly amount: Money
    readonly taxInclusive: boolean
    readonly precedence: string
  }
  /** The compare-at (original) price shown beside a sale price. */
  CompareAt: {
    readonly sku: Sku
    readonly priceList: string
    readonly price: string
    readonly amount: Money
  }
  /** A promotion took `amount` off `base` (the amount left by earlier promotions). */
  Discount: {
    readonly promotion: string
    readonly action: string
    readonly base: Money
    readonly amount: Money
    readonly rounding: RoundingMode
  }
  /** A promotion was not applied, and why. */
  PromotionRefused: {
    readonly promotion: string
    readonly reason: RefusalReason
    readonly detail: string
  }
  /** A code the shopper entered matches no promotion. */
  UnknownCode: { readonly code: string }
  /** Tax at `rate` of `taxClass` in `region`, on `base`, rounded with `rounding`. */
  Tax: {
    readonly region: string
    readonly taxClass: string
    readonly rate: string
    readonly base: Money
    readonly taxInclusive: boolean
    readonly level: "Line" | "Total"
    readonly calculation: "Unit" | "Line"
    readonly rounding: RoundingMode
    /** The unrounded tax in minor units, as an exact (unreduced) fraction. */
    readonly exact: Ratio
    readonly amount: Money
  }
}>

/** Constructors and matchers of {@link Explanation}. */
export const Explanation = Data.taggedEnum<Explanation>()
