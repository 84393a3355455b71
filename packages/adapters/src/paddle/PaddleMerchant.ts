/**
 * The Merchant of Record ports on Paddle Billing: transactions with
 * non-catalog prices for our orders, refunds as adjustments, and verified
 * notifications decoded into payment events.
 *
 * Amounts go to Paddle in the currency's smallest unit as a string (JPY 2550
 * is "2550", EUR 10.00 is "1000", KWD 6.331 is "6331"), tax-inclusive
 * (`tax_mode: "internal"`): a line's total is what the shopper pays for it.
 *
 * Signatures (`Paddle-Signature: ts=…;h1=…`) are checked by our own verifier
 * (`internal/Signature`), not the official SDK's: the SDK's window is fixed at
 * 5 s, it answers a stale delivery and a forged one with the same `false`,
 * and it compares digests with `===`. Ours has a configurable tolerance,
 * tells `Stale` from `BadSignature`, accepts several `h1` values and
 * compares in constant time.
 *
 * Paddle retries any non-2xx delivery for days. A genuine notification we do
 * not act on (another event type, a transaction that is not ours) is refused
 * with reason `Unsupported`; the webhook route should acknowledge those with
 * 200 so that Paddle stops resending them.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Currency, Event, Ids, MerchantOfRecord, Money, Webhook } from "@mercantile/domain"
import type { Order } from "@mercantile/domain"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Signature from "../internal/Signature"
import * as PaddleClient from "./PaddleClient"

/** What the port tier needs beyond the client. */
export interface Options {
  /** The notification destination's secret (`pdl_ntf_…`). */
  readonly webhookSecret: Redacted.Redacted<string>
  /** How old a signed notification may be; 5 s unless told (the SDKs' window). */
  readonly webhookToleranceSeconds?: number | undefined
  /**
   * Where the shopper goes to pay: your page hosting Paddle.js (Paddle adds
   * `?_ptxn=`). `{order_id}` is replaced. Paddle's default payment link when absent.
   */
  readonly checkoutUrl?: string | undefined
  /** The tax category of our non-catalog products; `standard` unless told. */
  readonly taxCategory?: string | undefined
}

/** The two payment services. */
export interface Services {
  readonly merchant: Context.Tag.Service<MerchantOfRecord.MerchantOfRecord>
  readonly webhooks: Context.Tag.Service<MerchantOfRecord.PaymentWebhooks>
}

/** The signature header, in lower case. */
export const signatureHeader = "paddle-signature"

/** One transaction item for an order line: its total at quantity 1 unless it divides evenly. */
const itemOf = (line: Order.OrderLine, taxCategory: string) => {
  const even = line.total.minor % BigInt(line.quantity) === 0n
  const quantity = even ? line.quantity : 1
  const unit = even
    ? Money.make(line.total.currency, line.total.minor / BigInt(line.quantity))
    : line.total
  const name = even ? line.name : `${line.quantity} × ${line.name}`
  return {
    quantity,
    price: {
      description: name,
      name,
      tax_mode: "internal" as const,
      unit_price: {
        amount: Money.toMinorUnitString(unit),
        currency_code: unit.currency
      },
      product: { name: line.name, tax_category: taxCategory },
      quantity: { minimum: 1, maximum: Math.max(100, quantity) }
    }
  }
}

/** The `POST /transactions` body for an order. */
export const transactionBody = (
  order: Order.Order,
  idempotencyKey: string,
  options: Pick<Options, "checkoutUrl" | "taxCategory">
): typeof PaddleClient.CreateTransaction.Encoded => ({
  items: order.lines.map((line) => itemOf(line, options.taxCategory ?? "standard")),
  currency_code: order.currency,
  custom_data: { order_id: order.id, idempotency_key: idempotencyKey },
  ...(options.checkoutUrl === undefined
    ? {}
    : {
        checkout: {
          url: options.checkoutUrl.replace(/\{order_id\}/g, encodeURIComponent(order.id))
        }
      }),
  collection_mode: "automatic"
})

const paymentError = (
  reason: MerchantOfRecord.PaymentError["reason"],
  operation: string,
  detail: string
) => new MerchantOfRecord.PaymentError({ reason, operation, detail })

const webhookError = (reason: Webhook.WebhookError["reason"], detail: string) =>
  new Webhook.WebhookError({ reason, source: "paddle", detail })

const fromSignature = (error: Signature.SignatureError): Webhook.WebhookError =>
  webhookError(error.reason === "MalformedSignature" ? "BadSignature" : error.reason, error.detail)

const decodeData = <A, I>(schema: Schema.Schema<A, I>, data: unknown, eventType: string) =>
  Either.mapLeft(Schema.decodeUnknownEither(schema)(data), (error) =>
    webhookError("Malformed", `${eventType} data: ${error.message}`)
  )

/** Our order id from a transaction's `custom_data`; `Unsupported` when it is not ours. */
const orderIdOf = (
  transaction: typeof PaddleClient.Transaction.Type
): Either.Either<Ids.OrderId, Webhook.WebhookError> => {
  const value = transaction.custom_data?.["order_id"]
  return Either.mapLeft(Schema.decodeUnknownEither(Ids.OrderId)(value), () =>
    webhookError(
      "Unsupported",
      `transaction ${transaction.id} has no custom_data.order_id: not a Mercantile transaction`
    )
  )
}

const moneyOf = (currency: string, amount: string | undefined, what: string) => {
  if (!Currency.isCurrencyCode(currency)) {
    return Either.left(webhookError("Malformed", `${what}: unknown currency ${currency}`))
  }
  return Either.mapLeft(Money.fromMinorUnitString(currency, amount ?? ""), () =>
    webhookError(
      "Malformed",
      `${what}: amount ${JSON.stringify(amount ?? null)} is not minor units`
    )
  )
}

/** Builds the payment services on a Paddle client. */
export const make = (options: Options): Effect.Effect<Services, never, PaddleClient.PaddleClient> =>
  Effect.gen(function* () {
    const client = yield* PaddleClient.PaddleClient
    const toPayment = Effect.mapError(PaddleClient.toPaymentError)

    const createTransaction: Services["merchant"]["createTransaction"] = (order, idempotencyKey) =>
      client.createTransaction(transactionBody(order, idempotencyKey, options)).pipe(
        toPayment,
        Effect.flatMap((transaction) => {
          const url = transaction.checkout?.url
          return url === undefined || url === null
            ? Effect.fail(
                paymentError(
                  "Rejected",
                  "createTransaction",
                  `transaction ${transaction.id} has no checkout URL; set a default payment link`
                )
              )
            : Effect.succeed({ orderId: order.id, transactionId: transaction.id, checkoutUrl: url })
        }),
        Effect.annotateLogs({ order_id: order.id }),
        Effect.withSpan("PaddleMerchant.createTransaction", { attributes: { order_id: order.id } })
      )

    const refund: Services["merchant"]["refund"] = (order, amount, reason) =>
      Effect.gen(function* () {
        const transactionId = order.paymentReference
        if (transactionId === undefined) {
          return yield* paymentError("Rejected", "refund", `order ${order.id} has no payment`)
        }
        const transaction = yield* toPayment(client.getTransaction(transactionId))
        const lines = transaction.details?.line_items ?? []
        const grand = transaction.details?.totals.grand_total ?? transaction.details?.totals.total
        const full = grand !== undefined && BigInt(grand) === amount.minor
        const parts = Money.allocate(
          amount,
          lines.map((line) => BigInt(line.totals.total))
        )
        yield* client
          .createAdjustment({
            action: "refund",
            transaction_id: transactionId,
            reason,
            ...(full
              ? { type: "full" as const }
              : {
                  type: "partial" as const,
                  items: lines
                    .map((line, index) => ({
                      item_id: line.id,
                      type: "partial" as const,
                      amount: Money.toMinorUnitString(parts[index]!)
                    }))
                    .filter((item) => item.amount !== "0")
                })
          })
          .pipe(toPayment)
        yield* Effect.logInfo("refund requested").pipe(
          Effect.annotateLogs({ amount: Money.toDecimal(amount), currency: amount.currency })
        )
      }).pipe(
        Effect.annotateLogs({ order_id: order.id }),
        Effect.withSpan("PaddleMerchant.refund", { attributes: { order_id: order.id } })
      )

    const toEvents = (
      notification: typeof PaddleClient.Notification.Type
    ): Effect.Effect<ReadonlyArray<Event.UpstreamEvent>, Webhook.WebhookError> =>
      Effect.gen(function* () {
        const occurredAt = new Date(notification.occurred_at)
        if (Number.isNaN(occurredAt.getTime())) {
          return yield* webhookError("Malformed", `occurred_at ${notification.occurred_at}`)
        }
        const base = {
          eventId: Ids.EventId.make(notification.event_id),
          source: "payments" as const,
          occurredAt
        }
        const type = notification.event_type
        switch (type) {
          case "transaction.completed": {
            const txn = yield* decodeData(PaddleClient.Transaction, notification.data, type)
            const orderId = yield* orderIdOf(txn)
            const totals = txn.details?.totals
            const amount = yield* moneyOf(
              totals?.currency_code ?? txn.currency_code,
              totals?.grand_total ?? totals?.total,
              `transaction ${txn.id} grand_total`
            )
            return [
              new Event.PaymentCompleted({ ...base, orderId, paymentReference: txn.id, amount })
            ]
          }
          case "transaction.payment_failed": {
            const txn = yield* decodeData(PaddleClient.Transaction, notification.data, type)
            const orderId = yield* orderIdOf(txn)
            const failed = txn.payments.find((p) => p.status === "error" || p.status === "failed")
            const reason = failed?.error_code ?? failed?.status ?? "payment failed"
            return [new Event.PaymentFailed({ ...base, orderId, paymentReference: txn.id, reason })]
          }
          case "adjustment.created": {
            const adjustment = yield* decodeData(PaddleClient.Adjustment, notification.data, type)
            if (adjustment.action !== "refund") {
              return yield* webhookError("Unsupported", `adjustment action ${adjustment.action}`)
            }
            const amount = yield* moneyOf(
              adjustment.totals.currency_code,
              adjustment.totals.total,
              `adjustment ${adjustment.id} total`
            )
            // The adjustment names only the transaction: our order id is in its custom_data.
            // A failed look-up is a defect so that the route answers 500 and Paddle retries.
            const txn = yield* client.getTransaction(adjustment.transaction_id).pipe(
              Effect.tapError((error) =>
                Effect.logError("refund notification: transaction look-up failed").pipe(
                  Effect.annotateLogs({ detail: error.message })
                )
              ),
              Effect.orDie
            )
            const orderId = yield* orderIdOf(txn)
            return [
              new Event.PaymentRefunded({
                ...base,
                orderId,
                paymentReference: adjustment.transaction_id,
                amount
              })
            ]
          }
          default:
            return yield* webhookError("Unsupported", `event type ${type}`)
        }
      })

    const decode: Services["webhooks"]["decode"] = (webhook) =>
      Signature.verifyNow({
        header: webhook.headers[signatureHeader],
        body: webhook.body,
        secrets: [options.webhookSecret],
        toleranceSeconds: options.webhookToleranceSeconds ?? 5
      }).pipe(
        Effect.mapError(fromSignature),
        Effect.zipRight(
          Schema.decodeUnknown(Schema.parseJson(PaddleClient.Notification))(
            Webhook.text(webhook)
          ).pipe(Effect.mapError((error) => webhookError("Malformed", error.message)))
        ),
        Effect.flatMap(toEvents),
        Effect.tapError((error) =>
          Effect.logWarning("Paddle notification refused").pipe(
            Effect.annotateLogs({ reason: error.reason, detail: error.detail })
          )
        ),
        Effect.withSpan("PaddleMerchant.decode")
      )

    return { merchant: { createTransaction, refund }, webhooks: { decode } }
  })

const toContext = (services: Services) =>
  Context.make(MerchantOfRecord.MerchantOfRecord, services.merchant).pipe(
    Context.add(MerchantOfRecord.PaymentWebhooks, services.webhooks)
  )

/** The payment ports on a client provided separately (tests swap it). */
export const layerClient = (
  options: Options
): Layer.Layer<
  MerchantOfRecord.MerchantOfRecord | MerchantOfRecord.PaymentWebhooks,
  never,
  PaddleClient.PaddleClient
> => Layer.effectContext(Effect.map(make(options), toContext))

/** The payment ports on Paddle over `fetch`, with settings given in code. */
export const layer = (
  settings: PaddleClient.Settings & Options
): Layer.Layer<MerchantOfRecord.MerchantOfRecord | MerchantOfRecord.PaymentWebhooks> =>
  layerClient(settings).pipe(
    Layer.provide(PaddleClient.layer(settings)),
    Layer.provide(FetchHttpClient.layer)
  )

/** Options from `PADDLE_*` configuration. */
export const optionsConfig: Config.Config<Options> = Config.nested(
  Config.all({
    webhookSecret: Config.redacted("WEBHOOK_SECRET"),
    webhookToleranceSeconds: Config.integer("WEBHOOK_TOLERANCE_SECONDS").pipe(
      Config.withDefault(5)
    ),
    checkoutUrl: Config.option(Config.string("CHECKOUT_URL")).pipe(
      Config.map(Option.getOrUndefined)
    ),
    taxCategory: Config.string("TAX_CATEGORY").pipe(Config.withDefault("standard"))
  }),
  "PADDLE"
)

/** The payment ports on Paddle over `fetch`, configured from `PADDLE_*`. */
export const layerConfig: Layer.Layer<
  MerchantOfRecord.MerchantOfRecord | MerchantOfRecord.PaymentWebhooks,
  ConfigError.ConfigError
> = Layer.unwrapEffect(Effect.map(optionsConfig, layerClient)).pipe(
  Layer.provide(PaddleClient.layerConfig),
  Layer.provide(FetchHttpClient.layer)
)
