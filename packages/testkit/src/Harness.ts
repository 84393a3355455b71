/**
 * A whole commerce core in memory: every use case over the memory vendors
 * and stores, with demo settings. For tests, scripts and any runtime that
 * wants to try the domain without a database or a vendor.
 *
 * ```ts
 * const program = Effect.gen(function* () {
 *   const carts = yield* CartService.CartService
 *   return yield* carts.add(cartId, sku, 2)
 * })
 * Effect.runPromise(Effect.provide(program, Harness.layer({ erp: { items } })))
 * ```
 *
 * @since 0.1.0
 */
import { PricingContext, Settings, Tax, UseCases } from "@mercantile/domain"
import type { Reservation } from "@mercantile/domain"
import * as Duration from "effect/Duration"
import * as Layer from "effect/Layer"
import * as Stores from "./memory/Stores"
import * as MemoryVendors from "./memory/Vendors"

/** Demo settings: EUR, Germany, the web channel, 19 % VAT included in prices, 15-minute holds. */
export const demoSettings = (overrides: Partial<Settings.Settings> = {}): Settings.Settings => ({
  currency: "EUR",
  region: PricingContext.Region.make("DE"),
  channel: PricingContext.Channel.make("web"),
  tax: Tax.standardVat("DE", 19),
  promotions: [],
  holdFor: Duration.minutes(15),
  paymentFailurePolicy: "KeepUntilExpiry" satisfies Reservation.PaymentFailurePolicy,
  ...overrides
})

/** Every use case over memory vendors seeded with `seed` and fresh memory stores. */
export const layer = (seed: MemoryVendors.Seed, settings: Partial<Settings.Settings> = {}) => {
  const ports = Layer.mergeAll(
    MemoryVendors.layer(seed),
    Stores.layerMemory(),
    Settings.layer(demoSettings(settings))
  )
  return UseCases.layer.pipe(Layer.provideMerge(ports))
}
