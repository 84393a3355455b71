/**
 * Price lists and the prices they hold, as the ERP (or a PIM) reports them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Currency from "./Currency"
import { CustomerId, Sku } from "./Ids"
import * as Money from "./Money"
import { Channel, CustomerGroup, Region } from "./PricingContext"

/**
 * What a list is for. `Base` is the everyday price, `Sale` a temporary
 * reduction (its base price is shown as the compare-at price), `Override` a
 * price that replaces any other for its scope, `Contract` a price negotiated
 * with one customer.
 */
export const PriceListKind = Schema.Literal("Base", "Sale", "Override", "Contract")
/** @see PriceListKind */
export type PriceListKind = typeof PriceListKind.Type

/** One price of one SKU in a list, with the scope it applies to. */
export class Price extends Schema.Class<Price>("Price")({
  /** Unique within the list; the final tie-breaker of price selection. */
  id: Schema.NonEmptyTrimmedString,
  sku: Sku,
  /** The unit price, tax included or not as the list says. */
  amount: Money.Money,
  /** The smallest line quantity this price applies to (quantity tiers). */
  minQuantity: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 }),
  customerGroup: Schema.optional(CustomerGroup),
  region: Schema.optional(Region),
  channel: Schema.optional(Channel),
  customerId: Schema.optional(CustomerId),
  validFrom: Schema.optional(Schema.DateFromString),
  validUntil: Schema.optional(Schema.DateFromString)
}) {}

/** A named list of prices in one currency. */
export class PriceList extends Schema.Class<PriceList>("PriceList")({
  id: Schema.NonEmptyTrimmedString,
  kind: PriceListKind,
  currency: Currency.CurrencyCode,
  /** True when the list's amounts include tax (the shopper's gross price). */
  taxInclusive: Schema.Boolean,
  /** Higher wins among equally specific prices. */
  priority: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  prices: Schema.Array(Price)
}) {}
