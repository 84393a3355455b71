/**
 * Why a cart could not be priced. The engine never prices silently wrong:
 * bad input is refused with the rule, line or promotion it came from.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Sku } from "./Ids"

/**
 * - `NoPrice`: no price of the cart's currency applies to a line.
 * - `MixedCurrencies`: a price or a line is in another currency than its list or cart.
 * - `AmbiguousPrice`: two prices tie and the selection policy forbids choosing.
 * - `InvalidPrice`: a negative or unreadable amount in a price list.
 * - `InvalidValidity`: a price or promotion whose window ends before it starts.
 * - `InvalidPercentage`: a percentage over 100 or below 0.
 * - `UnknownSku`: a promotion names a SKU no price list knows.
 * - `InvalidQuantity`: a line quantity that is not a positive whole number.
 * - `NoTaxRate`: the tax policy has no rate for a line's region and tax class.
 * - `InvalidRule`: any other malformed price, promotion or tax rule.
 */
export const Reason = Schema.Literal(
  "NoPrice",
  "MixedCurrencies",
  "AmbiguousPrice",
  "InvalidPrice",
  "InvalidValidity",
  "InvalidPercentage",
  "UnknownSku",
  "InvalidQuantity",
  "NoTaxRate",
  "InvalidRule"
)
/** @see Reason */
export type Reason = typeof Reason.Type

/** A cart could not be priced; names the offending SKU, price rule or promotion. */
export class PricingError extends Schema.TaggedError<PricingError>()("PricingError", {
  reason: Reason,
  sku: Schema.optional(Sku),
  /** The price (`list/price`), tax rate or promotion id at fault. */
  rule: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}
