/**
 * Price lists and the prices they hold, as the ERP (or a PIM) reports them.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Currency from "./Currency"
import { CustomerId, Sku } from "./Ids"
import * as Money from "./Money"
import { Channel, CustomerGroup, Region } from "./PricingContext"
import { PricingError } from "./PricingError"

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
  /** The unit price, tax included or not as the list says; never negative. */
  amount: Money.Money.pipe(
    Schema.filter((money) => money.minor >= 0n || "A price is never negative")
  ),
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

/** One price as an adapter reads it from vendor data, before validation. */
export interface PriceInput {
  readonly id: string
  readonly sku: string
  /** A decimal string ("18.600") or an exact amount already read. */
  readonly amount: string | Money.Money
  readonly minQuantity?: number
  readonly customerGroup?: string
  readonly region?: string
  readonly channel?: string
  readonly customerId?: string
  readonly validFrom?: Date
  readonly validUntil?: Date
}

const isSku = Schema.is(Sku)

const decodePrice = Schema.decodeUnknownEither(Schema.typeSchema(Schema.Struct(Price.fields)), {
  errors: "first"
})

/**
 * Builds a price list from plain vendor values (Akeneo price collections,
 * NetSuite price levels, SAP conditions), refusing bad data with a
 * {@link PricingError} that names the list and price: an unreadable or
 * negative amount (`InvalidPrice`), an amount in another currency
 * (`MixedCurrencies`), an inverted validity window (`InvalidValidity`), or
 * any other malformed field (`InvalidRule`).
 */
export const build = (options: {
  readonly id: string
  readonly kind: PriceListKind
  readonly currency: Currency.CurrencyCode
  readonly taxInclusive: boolean
  readonly priority?: number
  readonly prices: ReadonlyArray<PriceInput>
}): Either.Either<PriceList, PricingError> => {
  const prices: Array<Price> = []
  for (const input of options.prices) {
    const rule = `${options.id}/${input.id}`
    const fail = (reason: PricingError["reason"], detail: string) =>
      Either.left(
        new PricingError({
          reason,
          rule,
          detail: `Price ${rule}: ${detail}`,
          ...(isSku(input.sku) ? { sku: input.sku } : {})
        })
      )
    const amount =
      typeof input.amount === "string"
        ? Money.fromDecimal(options.currency, input.amount)
        : Either.right(input.amount)
    if (Either.isLeft(amount)) return fail("InvalidPrice", amount.left.message)
    if (amount.right.currency !== options.currency) {
      return fail("MixedCurrencies", `in ${amount.right.currency}, its list in ${options.currency}`)
    }
    if (amount.right.minor < 0n) return fail("InvalidPrice", "a negative amount")
    if (
      input.validFrom !== undefined &&
      input.validUntil !== undefined &&
      !(input.validFrom.getTime() < input.validUntil.getTime())
    ) {
      return fail("InvalidValidity", "its validity window ends before it starts")
    }
    const decoded = decodePrice({
      ...input,
      amount: amount.right,
      minQuantity: input.minQuantity ?? 1
    })
    if (Either.isLeft(decoded)) return fail("InvalidRule", decoded.left.message)
    prices.push(new Price(decoded.right, { disableValidation: true }))
  }
  return Either.right(
    new PriceList({
      id: options.id,
      kind: options.kind,
      currency: options.currency,
      taxInclusive: options.taxInclusive,
      priority: options.priority ?? 0,
      prices
    })
  )
}
