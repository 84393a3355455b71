/**
 * The Merchant of Record port: it sells to the shopper on our behalf, takes
 * payment and remits tax.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { UpstreamEvent } from "./Event"
import type { OrderId } from "./Ids"
import type * as Money from "./Money"
import type { Order } from "./Order"
import type { RawWebhook, WebhookError } from "./Webhook"

/** An open payment transaction and where the shopper pays it. */
export interface Transaction {
  readonly orderId: OrderId
  readonly transactionId: string
  readonly checkoutUrl: string
}

/** The Merchant of Record could not answer. */
export class PaymentError extends Schema.TaggedError<PaymentError>()("PaymentError", {
  reason: Schema.Literal("Unauthorized", "RateLimited", "Unavailable", "Rejected", "Decode"),
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Merchant of Record ${this.operation} failed (${this.reason}): ${this.detail}`
  }
}

/** Payment transactions and refunds. */
export class MerchantOfRecord extends Context.Tag("@mercantile/domain/MerchantOfRecord")<
  MerchantOfRecord,
  {
    /** Opens a transaction for an order; the same idempotency key returns the same transaction. */
    readonly createTransaction: (
      order: Order,
      idempotencyKey: string
    ) => Effect.Effect<Transaction, PaymentError>
    /** Asks for part or all of a paid order's money back. */
    readonly refund: (
      order: Order,
      amount: Money.Money,
      reason: string
    ) => Effect.Effect<void, PaymentError>
  }
>() {}

/** The Merchant of Record's notifications. */
export class PaymentWebhooks extends Context.Tag("@mercantile/domain/PaymentWebhooks")<
  PaymentWebhooks,
  {
    /** Verifies a notification on its raw bytes and decodes it into domain events. */
    readonly decode: (
      webhook: RawWebhook
    ) => Effect.Effect<ReadonlyArray<UpstreamEvent>, WebhookError>
  }
>() {}
