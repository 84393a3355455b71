/**
 * The ERP ports: the system of record for stock, prices and orders.
 *
 * Each capability is its own service so that a use case asks only for what it
 * needs; an ERP adapter provides all four in one layer, and swapping the ERP
 * vendor is swapping that layer.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { UpstreamEvent } from "./Event"
import type { OrderId, Sku } from "./Ids"
import type { Order } from "./Order"
import type { PriceList } from "./PriceList"
import type { PricingContext } from "./PricingContext"
import type { StockLevel } from "./Reservation"
import type { RawWebhook, WebhookError } from "./Webhook"

/**
 * The ERP could not answer. `Timeout` means the outcome of a write is
 * unknown: look the record up before writing again. `RateLimited` and
 * `Unavailable` mean nothing was written and a retry may succeed.
 */
export class ErpError extends Schema.TaggedError<ErpError>()("ErpError", {
  reason: Schema.Literal(
    "Unauthorized",
    "RateLimited",
    "Unavailable",
    "Timeout",
    "Rejected",
    "Decode",
    "NotFound"
  ),
  operation: Schema.String,
  detail: Schema.String,
  retryAfter: Schema.optional(Schema.DurationFromSelf)
}) {
  override get message(): string {
    return `ERP ${this.operation} failed (${this.reason}): ${this.detail}`
  }
}

/** True when retrying the same call may succeed and cannot duplicate a write. */
export const isRetryable = (error: ErpError): boolean =>
  error.reason === "RateLimited" || error.reason === "Unavailable"

/** Live stock, read at the moment of a cart or checkout mutation. */
export class ErpStock extends Context.Tag("@mercantile/domain/ErpStock")<
  ErpStock,
  {
    /** Stock of many SKUs at every location, in one call; SKUs the ERP does not know are absent. */
    readonly levels: (
      skus: ReadonlyArray<Sku>
    ) => Effect.Effect<ReadonlyArray<StockLevel>, ErpError>
  }
>() {}

/** Live prices, read at the moment of a cart or checkout mutation. */
export class ErpPrices extends Context.Tag("@mercantile/domain/ErpPrices")<
  ErpPrices,
  {
    /** The price lists holding prices of these SKUs that may apply in this context, in one call. */
    readonly lists: (
      skus: ReadonlyArray<Sku>,
      context: PricingContext
    ) => Effect.Effect<ReadonlyArray<PriceList>, ErpError>
  }
>() {}

/** The ERP's id for an order we recorded. */
export interface ErpOrderRef {
  readonly orderId: OrderId
  readonly erpReference: string
}

/** Orders, recorded in the ERP by our own order id. */
export class ErpOrders extends Context.Tag("@mercantile/domain/ErpOrders")<
  ErpOrders,
  {
    /** Records a paid order; recording the same order id again returns the existing record. */
    readonly record: (order: Order) => Effect.Effect<ErpOrderRef, ErpError>
    /** Finds an order by our own reference. */
    readonly find: (orderId: OrderId) => Effect.Effect<Option.Option<ErpOrderRef>, ErpError>
  }
>() {}

/** The ERP's change notifications. */
export class ErpWebhooks extends Context.Tag("@mercantile/domain/ErpWebhooks")<
  ErpWebhooks,
  {
    /** Verifies a notification on its raw bytes and decodes it into domain events. */
    readonly decode: (
      webhook: RawWebhook
    ) => Effect.Effect<ReadonlyArray<UpstreamEvent>, WebhookError>
  }
>() {}

/** Every ERP port: what one ERP adapter's layer provides. */
export type Ports = ErpStock | ErpPrices | ErpOrders | ErpWebhooks

/** One implementation of each ERP port. */
export interface Services {
  readonly stock: Context.Tag.Service<ErpStock>
  readonly prices: Context.Tag.Service<ErpPrices>
  readonly orders: Context.Tag.Service<ErpOrders>
  readonly webhooks: Context.Tag.Service<ErpWebhooks>
}

/** The four services as a context, for `Layer.effectContext` in an adapter. */
export const context = (services: Services): Context.Context<Ports> =>
  Context.make(ErpStock, services.stock).pipe(
    Context.add(ErpPrices, services.prices),
    Context.add(ErpOrders, services.orders),
    Context.add(ErpWebhooks, services.webhooks)
  )
