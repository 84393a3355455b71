/**
 * The commercial settings a storefront runs with: where and how it sells,
 * how it taxes, how long it holds stock.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import type * as Duration from "effect/Duration"
import type * as Currency from "./Currency"
import type { Channel, CustomerGroup, Region } from "./PricingContext"
import type * as Promotion from "./Promotion"
import type { PaymentFailurePolicy } from "./Reservation"
import type * as Tax from "./Tax"

/** How the storefront sells. */
export interface Settings {
  readonly currency: Currency.CurrencyCode
  readonly region: Region
  readonly channel: Channel
  readonly customerGroup?: CustomerGroup
  readonly tax: Tax.TaxPolicy
  readonly promotions: ReadonlyArray<Promotion.Promotion>
  /** How long checkout holds stock while the shopper pays. */
  readonly holdFor: Duration.Duration
  /** What a failed payment does to the shopper's hold. */
  readonly paymentFailurePolicy: PaymentFailurePolicy
}

/** The storefront's commercial settings. */
export class CommerceSettings extends Context.Tag("@mercantile/domain/CommerceSettings")<
  CommerceSettings,
  Settings
>() {}

/** Provides fixed settings. */
export const layer = (settings: Settings): Layer.Layer<CommerceSettings> =>
  Layer.succeed(CommerceSettings, settings)
