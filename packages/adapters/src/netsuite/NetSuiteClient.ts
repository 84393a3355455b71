/**
 * The NetSuite vendor client: SuiteTalk REST (Record API and SuiteQL) over
 * `@effect/platform`'s `HttpClient`, signed with Token-Based Authentication.
 *
 * It owns what is NetSuite's and not the domain's: the base URL, request
 * signing, the account's concurrency cap (a client-side semaphore), retries
 * of 429 / `CONCURRENCY_LIMIT_EXCEEDED` and 5xx answers honouring
 * `Retry-After`, SuiteQL paging, and decoding of NetSuite's error bodies into
 * `NetSuiteError`s that keep `o:errorCode` and `o:errorPath`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Erp } from "@mercantile/domain"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Retry from "../internal/Retry"
import * as VendorHttp from "../internal/VendorHttp"
import * as Tba from "./Tba"

/** What NetSuite answered, kept with its own code and path. */
export class NetSuiteError extends Schema.TaggedError<NetSuiteError>()("NetSuiteError", {
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
  /** NetSuite's `o:errorCode` (`USER_ERROR`, `INVALID_LOGIN`, ...). */
  errorCode: Schema.optional(Schema.String),
  /** NetSuite's `o:errorPath`: the field a validation error is about. */
  errorPath: Schema.optional(Schema.String),
  detail: Schema.String,
  retryAfter: Schema.optional(Schema.DurationFromSelf)
}) {
  override get message(): string {
    const code = this.errorCode === undefined ? "" : ` ${this.errorCode}`
    const path = this.errorPath === undefined ? "" : ` at ${this.errorPath}`
    return `NetSuite ${this.operation} failed (${this.reason}${code}${path}): ${this.detail}`
  }
}

/** The port's error for a NetSuite error; code and path stay in the detail. */
export const toErpError = (error: NetSuiteError): Erp.ErpError =>
  new Erp.ErpError({
    reason: error.reason,
    operation: error.operation,
    detail: [
      error.errorCode,
      error.errorPath === undefined ? undefined : `at ${error.errorPath}`,
      error.detail
    ]
      .filter((part) => part !== undefined)
      .join(" "),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter })
  })

/** A `links` entry of a NetSuite page or record. */
export const Link = Schema.Struct({ rel: Schema.String, href: Schema.String })

/** One `o:errorDetails` entry. */
export const ErrorDetail = Schema.Struct({
  detail: Schema.String,
  "o:errorCode": Schema.String,
  "o:errorPath": Schema.optional(Schema.String),
  "o:errorUrl": Schema.optional(Schema.String),
  "o:errorHeader": Schema.optional(Schema.String),
  "o:errorQueryParam": Schema.optional(Schema.String)
})

/** NetSuite's error body (RFC 7807 with `o:` extensions). */
export const ErrorBody = Schema.Struct({
  type: Schema.optional(Schema.String),
  title: Schema.String,
  status: Schema.Number,
  "o:errorDetails": Schema.Array(ErrorDetail)
})

const page = {
  links: Schema.optionalWith(Schema.Array(Link), { default: () => [] }),
  count: Schema.Number,
  hasMore: Schema.Boolean,
  offset: Schema.Number,
  totalResults: Schema.optional(Schema.Number)
}

/** A SuiteQL result page; every column value is a string, null columns are left out. */
export const SuiteQlPage = Schema.Struct({
  ...page,
  items: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

/** A Record API collection page. */
export const CollectionPage = Schema.Struct({
  ...page,
  items: Schema.Array(Schema.Struct({ id: Schema.String, links: Schema.Array(Link) }))
})

/** A reference to another record: `{id, refName, links}`. */
export const RecordRef = Schema.Struct({
  id: Schema.String,
  refName: Schema.optional(Schema.String),
  links: Schema.optional(Schema.Array(Link))
})

/** The fields every record shares; other fields are ignored. */
export const Record = Schema.Struct({
  id: Schema.String,
  externalId: Schema.optional(Schema.String),
  links: Schema.Array(Link)
})

/** How to reach and sign for one NetSuite account. */
export interface Settings {
  readonly accountId: string
  readonly consumerKey: Redacted.Redacted<string>
  readonly consumerSecret: Redacted.Redacted<string>
  readonly tokenId: Redacted.Redacted<string>
  readonly tokenSecret: Redacted.Redacted<string>
  /** Overrides `https://<account>.suitetalk.api.netsuite.com`. */
  readonly baseUrl?: string | undefined
  /** Requests in flight at once; the account's cap is shared by every integration. */
  readonly concurrency?: number | undefined
  /** How long one request may take before its outcome counts as unknown. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries of a 429 or 5xx answer. */
  readonly retries?: number | undefined
}

/** The NetSuite vendor client. */
export interface Service {
  /** Runs a SuiteQL query, following every page, and decodes each row with `row`. */
  readonly suiteql: <A, I>(
    operation: string,
    query: string,
    row: Schema.Schema<A, I>,
    options?: { readonly pageSize?: number }
  ) => Effect.Effect<ReadonlyArray<A>, NetSuiteError>
  /** Creates a record and answers its internal id (from the `Location` header). */
  readonly createRecord: (
    operation: string,
    type: string,
    body: string,
    idempotencyKey: string
  ) => Effect.Effect<string, NetSuiteError>
  /** Reads one record (`id` may be `eid:<externalId>`); none when it does not exist. */
  readonly getRecord: <A, I>(
    operation: string,
    type: string,
    id: string,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<Option.Option<A>, NetSuiteError>
}

/** The NetSuite vendor client. */
export class NetSuiteClient extends Context.Tag("@mercantile/adapters/NetSuiteClient")<
  NetSuiteClient,
  Service
>() {}

const reasonOf = (status: number, code: string | undefined): NetSuiteError["reason"] => {
  if (status === 429 || code === "CONCURRENCY_LIMIT_EXCEEDED") return "RateLimited"
  if (status === 401 || status === 403 || code === "INVALID_LOGIN") return "Unauthorized"
  if (status === 404 || code === "NONEXISTENT_ID") return "NotFound"
  if (status >= 500) return "Unavailable"
  return "Rejected"
}

/** Turns a non-2xx answer into a `NetSuiteError`, reading NetSuite's error body when it is one. */
export const errorFromResponse = (
  operation: string,
  status: number,
  headers: Readonly<globalThis.Record<string, string | undefined>>,
  body: string,
  now: number
): NetSuiteError => {
  const parsed = Schema.decodeUnknownOption(Schema.parseJson(ErrorBody))(body)
  const first = Option.flatMapNullable(parsed, (error) => error["o:errorDetails"][0])
  const code = Option.getOrUndefined(Option.map(first, (detail) => detail["o:errorCode"]))
  const path = Option.getOrUndefined(Option.flatMapNullable(first, (d) => d["o:errorPath"]))
  const retryAfter = Option.getOrUndefined(Retry.parseRetryAfter(headers["retry-after"], now))
  return new NetSuiteError({
    reason: reasonOf(status, code),
    operation,
    status,
    ...(code === undefined ? {} : { errorCode: code }),
    ...(path === undefined ? {} : { errorPath: path }),
    detail: Option.match(first, {
      onNone: () => `HTTP ${status}${body.length > 0 ? `: ${body.slice(0, 200)}` : ""}`,
      onSome: (detail) => detail.detail
    }),
    ...(retryAfter === undefined ? {} : { retryAfter })
  })
}

/** The URL NetSuite serves an account's REST API at. */
export const baseUrlOf = (settings: Settings): string =>
  (settings.baseUrl ?? `https://${Tba.hostOf(settings.accountId)}`).replace(/\/+$/, "")

const suiteqlPath = "/services/rest/query/v1/suiteql"

/** Builds the client on an `HttpClient` (use `FetchHttpClient.layer`). */
export const make = (settings: Settings): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const credentials: Tba.Credentials = {
      realm: Tba.realmOf(settings.accountId),
      consumerKey: Redacted.value(settings.consumerKey),
      consumerSecret: Redacted.value(settings.consumerSecret),
      tokenId: Redacted.value(settings.tokenId),
      tokenSecret: Redacted.value(settings.tokenSecret)
    }
    const timeout = Duration.decode(settings.timeout ?? Duration.seconds(30))
    const permits = yield* Effect.makeSemaphore(settings.concurrency ?? 5)
    const http = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest(HttpClientRequest.prependUrl(baseUrlOf(settings))),
      HttpClient.mapRequest((request) => {
        const url = Option.getOrThrow(HttpClientRequest.toUrl(request))
        const signed = Tba.sign(credentials, { method: request.method, url: url.href })
        return HttpClientRequest.setHeader(request, "authorization", signed.header)
      })
    )

    const call = <A>(
      operation: string,
      request: HttpClientRequest.HttpClientRequest,
      onSuccess: (
        response: HttpClientResponse.HttpClientResponse
      ) => Effect.Effect<A, NetSuiteError>
    ): Effect.Effect<A, NetSuiteError> =>
      VendorHttp.send(http, request, {
        timeout,
        onSuccess,
        onFailure: (response, body, now) =>
          errorFromResponse(operation, response.status, response.headers, body, now),
        error: (reason, detail) =>
          new NetSuiteError({
            reason,
            operation,
            detail: reason === "Timeout" ? `${detail}; the outcome is unknown` : detail
          })
      }).pipe(
        permits.withPermits(1),
        Retry.retry({
          operation,
          times: settings.retries ?? 4,
          retryable: (error: NetSuiteError) =>
            error.reason === "RateLimited" || error.reason === "Unavailable",
          retryAfter: (error) => Option.fromNullable(error.retryAfter)
        }),
        Effect.annotateLogs({ vendor: "netsuite", operation })
      )

    const decodeJson =
      <A, I>(operation: string, schema: Schema.Schema<A, I>) =>
      (response: HttpClientResponse.HttpClientResponse) =>
        response.json.pipe(
          Effect.flatMap(Schema.decodeUnknown(schema)),
          Effect.mapError(
            (error) => new NetSuiteError({ reason: "Decode", operation, detail: error.message })
          )
        )

    const suiteql: Service["suiteql"] = (operation, query, row, options) =>
      Effect.gen(function* () {
        const decodeRow = Schema.decodeUnknown(row)
        const rows: Array<typeof row.Type> = []
        let limit = options?.pageSize ?? 1000
        let offset = 0
        for (;;) {
          const request = HttpClientRequest.post(suiteqlPath).pipe(
            HttpClientRequest.setUrlParams({ limit, offset }),
            HttpClientRequest.setHeader("prefer", "transient"),
            HttpClientRequest.bodyUnsafeJson({ q: query })
          )
          const result = yield* call(operation, request, decodeJson(operation, SuiteQlPage))
          for (const [index, item] of result.items.entries()) {
            const decoded = yield* decodeRow(item).pipe(
              Effect.mapError(
                (error) =>
                  new NetSuiteError({
                    reason: "Decode",
                    operation,
                    detail: `row ${result.offset + index}: ${error.message}`
                  })
              )
            )
            rows.push(decoded)
          }
          const next = nextPage(result, limit)
          if (next === undefined || next.offset <= offset) return rows
          limit = next.limit
          offset = next.offset
        }
      }).pipe(Effect.withSpan("NetSuite.suiteql", { attributes: { operation } }))

    const createRecord: Service["createRecord"] = (operation, type, body, idempotencyKey) =>
      call(
        operation,
        HttpClientRequest.post(`/services/rest/record/v1/${type}`).pipe(
          HttpClientRequest.setHeader("x-netsuite-idempotency-key", idempotencyKey),
          HttpClientRequest.bodyText(body, "application/json")
        ),
        (response) => {
          const id = response.headers["location"]?.split("/").pop()
          return id === undefined || id === ""
            ? Effect.fail(
                new NetSuiteError({
                  reason: "Decode",
                  operation,
                  status: response.status,
                  detail: "created, but the answer has no Location header"
                })
              )
            : Effect.succeed(decodeURIComponent(id))
        }
      ).pipe(Effect.withSpan("NetSuite.createRecord", { attributes: { type } }))

    const getRecord: Service["getRecord"] = (operation, type, id, schema) =>
      call(
        operation,
        HttpClientRequest.get(`/services/rest/record/v1/${type}/${encodeURIComponent(id)}`),
        decodeJson(operation, schema)
      ).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (error) => error.reason === "NotFound",
          () => Effect.succeedNone
        ),
        Effect.withSpan("NetSuite.getRecord", { attributes: { type } })
      )

    return { suiteql, createRecord, getRecord }
  })

/** The next page to ask for: the `next` link when there is one, else `hasMore`. */
const nextPage = (
  result: typeof SuiteQlPage.Type,
  limit: number
): { readonly limit: number; readonly offset: number } | undefined => {
  const next = result.links.find((link) => link.rel === "next")
  if (next !== undefined) {
    const url = new URL(next.href)
    const nextLimit = Number(url.searchParams.get("limit") ?? limit)
    const nextOffset = Number(url.searchParams.get("offset") ?? result.offset + result.count)
    if (Number.isInteger(nextLimit) && Number.isInteger(nextOffset)) {
      return { limit: nextLimit, offset: nextOffset }
    }
  }
  return result.hasMore && result.count > 0
    ? { limit, offset: result.offset + result.count }
    : undefined
}

/** The client, with settings given in code. */
export const layer = (
  settings: Settings
): Layer.Layer<NetSuiteClient, never, HttpClient.HttpClient> =>
  Layer.effect(NetSuiteClient, make(settings))

/** Settings from `NETSUITE_*` configuration. */
export const settingsConfig: Config.Config<Settings> = Config.nested(
  Config.all({
    accountId: Config.string("ACCOUNT_ID"),
    consumerKey: Config.redacted("CONSUMER_KEY"),
    consumerSecret: Config.redacted("CONSUMER_SECRET"),
    tokenId: Config.redacted("TOKEN_ID"),
    tokenSecret: Config.redacted("TOKEN_SECRET"),
    baseUrl: Config.option(Config.string("BASE_URL")).pipe(Config.map(Option.getOrUndefined)),
    concurrency: Config.integer("CONCURRENCY").pipe(Config.withDefault(5)),
    timeout: Config.duration("TIMEOUT").pipe(Config.withDefault(Duration.seconds(30))),
    retries: Config.integer("RETRIES").pipe(Config.withDefault(4))
  }),
  "NETSUITE"
)

/** The client, with settings from `NETSUITE_*` configuration. */
export const layerConfig: Layer.Layer<
  NetSuiteClient,
  ConfigError.ConfigError,
  HttpClient.HttpClient
> = Layer.effect(NetSuiteClient, Effect.flatMap(settingsConfig, make))
