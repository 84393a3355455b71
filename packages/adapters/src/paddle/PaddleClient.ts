/**
 * The Paddle Billing vendor client: Bearer API key, JSON over
 * `@effect/platform`'s `HttpClient`, retries of 429 / 5xx honouring
 * `Retry-After`, and Paddle's error body decoded into `PaddleError`.
 *
 * The schemas here are Paddle's shapes, kept to the fields Mercantile reads;
 * other fields are ignored. They never leave the adapter.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { MerchantOfRecord } from "@mercantile/domain"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Retry from "../internal/Retry"
import * as VendorHttp from "../internal/VendorHttp"

/** What Paddle answered. */
export class PaddleError extends Schema.TaggedError<PaddleError>()("PaddleError", {
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
  status: Schema.optional(Schema.Number),
  /** Paddle's `error.code` (`bad_request`, `not_found`, ...). */
  code: Schema.optional(Schema.String),
  detail: Schema.String,
  /** Field errors of a validation failure. */
  errors: Schema.optional(
    Schema.Array(Schema.Struct({ field: Schema.String, message: Schema.String }))
  ),
  requestId: Schema.optional(Schema.String),
  retryAfter: Schema.optional(Schema.DurationFromSelf)
}) {
  override get message(): string {
    const code = this.code === undefined ? "" : ` ${this.code}`
    const fields = (this.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ")
    return `Paddle ${this.operation} failed (${this.reason}${code}): ${this.detail}${
      fields === "" ? "" : ` [${fields}]`
    }`
  }
}

/** The port's error for a Paddle error. */
export const toPaymentError = (error: PaddleError): MerchantOfRecord.PaymentError =>
  new MerchantOfRecord.PaymentError({
    reason:
      error.reason === "NotFound"
        ? "Rejected"
        : error.reason === "Timeout"
          ? "Unavailable"
          : error.reason,
    operation: error.operation,
    detail: error.message
  })

/** Paddle's error body. */
export const ErrorBody = Schema.Struct({
  error: Schema.Struct({
    type: Schema.String,
    code: Schema.String,
    detail: Schema.String,
    documentation_url: Schema.optional(Schema.String),
    errors: Schema.optional(
      Schema.Array(Schema.Struct({ field: Schema.String, message: Schema.String }))
    )
  }),
  meta: Schema.optional(Schema.Struct({ request_id: Schema.String }))
})

/** An amount in the currency's smallest unit, as a string ("1000" is 10.00 USD). */
export const UnitPrice = Schema.Struct({ amount: Schema.String, currency_code: Schema.String })

/** A price made for one transaction (not in the catalog). */
export const NonCatalogPrice = Schema.Struct({
  description: Schema.String,
  name: Schema.optional(Schema.String),
  product_id: Schema.optional(Schema.String),
  product: Schema.optional(
    Schema.Struct({
      name: Schema.String,
      tax_category: Schema.String,
      description: Schema.optional(Schema.String)
    })
  ),
  tax_mode: Schema.optional(Schema.Literal("account_setting", "internal", "external")),
  unit_price: UnitPrice,
  quantity: Schema.optional(Schema.Struct({ minimum: Schema.Int, maximum: Schema.Int }))
})

/** `POST /transactions` body: catalog items by `price_id`, or non-catalog `price`s. */
export const CreateTransaction = Schema.Struct({
  items: Schema.Array(
    Schema.Union(
      Schema.Struct({ price_id: Schema.String, quantity: Schema.Int }),
      Schema.Struct({ price: NonCatalogPrice, quantity: Schema.Int })
    )
  ),
  currency_code: Schema.optional(Schema.String),
  custom_data: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  checkout: Schema.optional(Schema.Struct({ url: Schema.NullOr(Schema.String) })),
  collection_mode: Schema.optional(Schema.Literal("automatic", "manual"))
})

const Totals = Schema.Struct({
  subtotal: Schema.String,
  tax: Schema.String,
  total: Schema.String,
  discount: Schema.optional(Schema.String),
  grand_total: Schema.optional(Schema.String),
  currency_code: Schema.optional(Schema.String)
})

/** A transaction, as the API and notifications carry it. */
export const Transaction = Schema.Struct({
  id: Schema.String,
  status: Schema.Literal("draft", "ready", "billed", "paid", "completed", "canceled", "past_due"),
  currency_code: Schema.String,
  custom_data: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  items: Schema.Array(Schema.Struct({ quantity: Schema.Int })),
  details: Schema.NullishOr(
    Schema.Struct({
      totals: Totals,
      line_items: Schema.Array(Schema.Struct({ id: Schema.String, totals: Totals }))
    })
  ),
  payments: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        amount: Schema.String,
        status: Schema.String,
        error_code: Schema.NullishOr(Schema.String)
      })
    ),
    { default: () => [] }
  ),
  checkout: Schema.NullishOr(Schema.Struct({ url: Schema.NullishOr(Schema.String) })),
  created_at: Schema.String,
  updated_at: Schema.String
})

/** An adjustment (refund, credit, chargeback). */
export const Adjustment = Schema.Struct({
  id: Schema.String,
  action: Schema.String,
  transaction_id: Schema.String,
  status: Schema.String,
  currency_code: Schema.String,
  totals: Schema.Struct({ total: Schema.String, currency_code: Schema.String }),
  items: Schema.Array(
    Schema.Struct({
      item_id: Schema.String,
      type: Schema.String,
      amount: Schema.NullishOr(Schema.String)
    })
  )
})

/** `POST /adjustments` body. */
export const CreateAdjustment = Schema.Struct({
  action: Schema.Literal("refund", "credit"),
  transaction_id: Schema.String,
  reason: Schema.String,
  type: Schema.optional(Schema.Literal("full", "partial")),
  items: Schema.optional(
    Schema.Array(
      Schema.Struct({
        item_id: Schema.String,
        type: Schema.Literal("full", "partial"),
        amount: Schema.optional(Schema.String)
      })
    )
  )
})

/** A notification: `event_type` names the shape of `data`. */
export const Notification = Schema.Struct({
  event_id: Schema.String,
  event_type: Schema.String,
  occurred_at: Schema.String,
  notification_id: Schema.optional(Schema.String),
  data: Schema.Unknown
})

/** The `{data, meta}` envelope of an API answer. */
export const Envelope = <A, I>(data: Schema.Schema<A, I>) =>
  Schema.Struct({
    data,
    meta: Schema.optional(Schema.Struct({ request_id: Schema.String }))
  })

/** How to reach Paddle. */
export interface Settings {
  readonly apiKey: Redacted.Redacted<string>
  /** `https://sandbox-api.paddle.com` unless told (live: `https://api.paddle.com`). */
  readonly baseUrl?: string | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly retries?: number | undefined
}

/** The Paddle vendor client. */
export interface Service {
  readonly createTransaction: (
    body: typeof CreateTransaction.Encoded
  ) => Effect.Effect<typeof Transaction.Type, PaddleError>
  readonly getTransaction: (id: string) => Effect.Effect<typeof Transaction.Type, PaddleError>
  readonly createAdjustment: (
    body: typeof CreateAdjustment.Encoded
  ) => Effect.Effect<typeof Adjustment.Type, PaddleError>
}

/** The Paddle vendor client. */
export class PaddleClient extends Context.Tag("@mercantile/adapters/PaddleClient")<
  PaddleClient,
  Service
>() {}

const reasonOf = (status: number): PaddleError["reason"] => {
  if (status === 429) return "RateLimited"
  if (status === 401 || status === 403) return "Unauthorized"
  if (status === 404) return "NotFound"
  if (status >= 500) return "Unavailable"
  return "Rejected"
}

/** Turns a non-2xx answer into a `PaddleError`. */
export const errorFromResponse = (
  operation: string,
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  now: number
): PaddleError => {
  const parsed = Schema.decodeUnknownOption(Schema.parseJson(ErrorBody))(body)
  const retryAfter = Option.getOrUndefined(Retry.parseRetryAfter(headers["retry-after"], now))
  const base = {
    reason: reasonOf(status),
    operation,
    status,
    ...(retryAfter === undefined ? {} : { retryAfter })
  }
  return Option.match(parsed, {
    onNone: () => new PaddleError({ ...base, detail: `HTTP ${status}: ${body.slice(0, 200)}` }),
    onSome: ({ error, meta }) =>
      new PaddleError({
        ...base,
        code: error.code,
        detail: error.detail,
        ...(error.errors === undefined ? {} : { errors: error.errors }),
        ...(meta === undefined ? {} : { requestId: meta.request_id })
      })
  })
}

/** Builds the client on an `HttpClient` (use `FetchHttpClient.layer`). */
export const make = (settings: Settings): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const timeout = Duration.decode(settings.timeout ?? Duration.seconds(20))
    const http = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest(
        HttpClientRequest.prependUrl(
          (settings.baseUrl ?? "https://sandbox-api.paddle.com").replace(/\/+$/, "")
        )
      ),
      HttpClient.mapRequest(HttpClientRequest.bearerToken(settings.apiKey)),
      HttpClient.mapRequest(HttpClientRequest.acceptJson)
    )

    const call = <A, I>(
      operation: string,
      request: HttpClientRequest.HttpClientRequest,
      schema: Schema.Schema<A, I>
    ): Effect.Effect<A, PaddleError> =>
      VendorHttp.send(http, request, {
        timeout,
        onSuccess: (response) =>
          response.json.pipe(
            Effect.flatMap(Schema.decodeUnknown(Envelope(schema))),
            Effect.map((envelope) => envelope.data),
            Effect.mapError(
              (error) => new PaddleError({ reason: "Decode", operation, detail: error.message })
            )
          ),
        onFailure: (response, body, now) =>
          errorFromResponse(operation, response.status, response.headers, body, now),
        error: (reason, detail) => new PaddleError({ reason, operation, detail })
      }).pipe(
        Retry.retry({
          operation,
          times: settings.retries ?? 3,
          retryable: (error: PaddleError) =>
            error.reason === "RateLimited" || error.reason === "Unavailable",
          retryAfter: (error) => Option.fromNullable(error.retryAfter)
        }),
        Effect.annotateLogs({ vendor: "paddle", operation }),
        Effect.withSpan(`Paddle.${operation}`)
      )

    return {
      createTransaction: (body) =>
        call(
          "createTransaction",
          HttpClientRequest.post("/transactions").pipe(HttpClientRequest.bodyUnsafeJson(body)),
          Transaction
        ),
      getTransaction: (id) =>
        call(
          "getTransaction",
          HttpClientRequest.get(`/transactions/${encodeURIComponent(id)}`),
          Transaction
        ),
      createAdjustment: (body) =>
        call(
          "createAdjustment",
          HttpClientRequest.post("/adjustments").pipe(HttpClientRequest.bodyUnsafeJson(body)),
          Adjustment
        )
    }
  })

/** The client, with settings given in code. */
export const layer = (
  settings: Settings
): Layer.Layer<PaddleClient, never, HttpClient.HttpClient> =>
  Layer.effect(PaddleClient, make(settings))

/** Settings from `PADDLE_*` configuration. */
export const settingsConfig: Config.Config<Settings> = Config.nested(
  Config.all({
    apiKey: Config.redacted("API_KEY"),
    baseUrl: Config.string("BASE_URL").pipe(Config.withDefault("https://sandbox-api.paddle.com")),
    timeout: Config.duration("TIMEOUT").pipe(Config.withDefault(Duration.seconds(20))),
    retries: Config.integer("RETRIES").pipe(Config.withDefault(3))
  }),
  "PADDLE"
)

/** The client, with settings from `PADDLE_*` configuration. */
export const layerConfig: Layer.Layer<
  PaddleClient,
  ConfigError.ConfigError,
  HttpClient.HttpClient
> = Layer.effect(PaddleClient, Effect.flatMap(settingsConfig, make))
