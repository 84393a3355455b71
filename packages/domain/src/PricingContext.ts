/**
 * Everything about a shopper and a moment that decides which price applies.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Currency from "./Currency"
import { CustomerId } from "./Ids"

/** An ISO 3166-1 alpha-2 country code, optionally with a region after a dash ("DE", "US-CA"). */
export const Region = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, {
    message: () => "A region is a country code such as DE or US-CA"
  }),
  Schema.brand("Region")
)
/** @see Region */
export type Region = typeof Region.Type

/** The sales channel a price or promotion is scoped to ("web", "app", "b2b"). */
export const Channel = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9_-]{0,31}$/),
  Schema.brand("Channel")
)
/** @see Channel */
export type Channel = typeof Channel.Type

/** A customer group a price or promotion is scoped to ("retail", "wholesale", "vip"). */
export const CustomerGroup = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9_-]{0,31}$/),
  Schema.brand("CustomerGroup")
)
/** @see CustomerGroup */
export type CustomerGroup = typeof CustomerGroup.Type

/** Who is buying, where, through which channel, and when. */
export class PricingContext extends Schema.Class<PricingContext>("PricingContext")({
  currency: Currency.CurrencyCode,
  region: Region,
  channel: Channel,
  customerGroup: Schema.optional(CustomerGroup),
  customerId: Schema.optional(CustomerId),
  /** The instant prices and promotions are evaluated at. */
  at: Schema.DateFromSelf
}) {}
