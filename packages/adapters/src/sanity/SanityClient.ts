/**
 * The Sanity HTTP API client: GROQ queries over `GET` (or `POST` when the
 * URL would be too long), an optional Bearer token, the `{ms, query, result,
 * syncTags}` envelope, typed errors and `Retry-After` on 429.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Retry from "../internal/Retry"
import * as SanitySchema from "./SanitySchema"

/** How to reach one Sanity dataset. */
export interface SanityConfig {
  /** Overrides `https://<projectId>.api.sanity.io` (a fake, the CDN host). */
  readonly baseUrl?: string
  readonly projectId: string
  readonly dataset: string
  /** A dated API version such as `2025-02-19`. */
  readonly apiVersion: string
  /** Needed for private datasets and drafts. */
  readonly token?: Redacted.Redacted<string>
}

/** `SANITY_*` settings for queries. */
export const config: Config.Config<SanityConfig> = Config.all({
  baseUrl: Config.option(Config.string("SANITY_BASE_URL")),
  projectId: Config.string("SANITY_PROJECT_ID"),
  dataset: Config.string("SANITY_DATASET"),
  apiVersion: Config.withDefault(Config.string("SANITY_API_VERSION"), "2025-02-19"),
  token: Config.option(Config.redacted("SANITY_TOKEN"))
}).pipe(
  Config.map(({ baseUrl, token, ...rest }) => ({
    ...rest,
    ...Option.match(baseUrl, { onNone: () => ({}), onSome: (url) => ({ baseUrl: url }) }),
    ...Option.match(token, { onNone: () => ({}), onSome: (t) => ({ token: t }) })
  }))
)

/** Why a Sanity call failed. */
export type Reason = "Unauthorized" | "BadQuery" | "RateLimited" | "Unavailable" | "Decode"

/** A Sanity call failed; `type` is Sanity's error type (`queryParseError`). */
export class SanityError extends Data.TaggedError("SanityError")<{
  readonly reason: Reason
  readonly operation: string
  readonly detail: string
  readonly status?: number
  readonly type?: string
  readonly retryAfter?: Duration.Duration
}> {
  override get message(): string {
    return `Sanity ${this.operation} failed (${this.reason}): ${this.detail}`
  }
}

/** GROQ parameters, sent JSON-encoded (`$slug="..."`). */
export type Params = Readonly<Record<string, unknown>>

/** The Sanity query API. */
export class SanityClient extends Context.Tag("@mercantile/adapters/SanityClient")<
  SanityClient,
  {
    /** Runs a GROQ query and decodes its `result` with `schema`. */
    readonly query: <A, I>(
      groq: string,
      params: Params,
      schema: Schema.Schema<A, I>
    ) => Effect.Effect<A, SanityError>
  }
>() {}

/** GET URLs past this length go as POST (Sanity's limit is about 11 KB). */
const maxGetLength = 10_000

const requestTimeout = Duration.seconds(20)

const failure = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function* () {
    const operation = "query"
    const text = yield* Effect.orElseSucceed(response.text, () => "")
    const status = response.status
    const retryAfter = Retry.parseRetryAfter(response.headers["retry-after"], Date.now())
    const json = Schema.decodeUnknownOption(Schema.parseJson())(text)
    const queryError = Option.flatMap(json, Schema.decodeUnknownOption(SanitySchema.QueryErrorBody))
    if (status === 400 && Option.isSome(queryError)) {
      const { type, description } = queryError.value.error
      return new SanityError({ reason: "BadQuery", operation, status, type, detail: description })
    }
    const apiError = Option.flatMap(json, Schema.decodeUnknownOption(SanitySchema.ApiErrorBody))
    const detail = Option.match(apiError, {
      onNone: () => `HTTP ${status} ${text.slice(0, 200)}`,
      onSome: (e) => e.message ?? e.error
    })
    const reason: Reason =
      status === 401 || status === 403
        ? "Unauthorized"
        : status === 429
          ? "RateLimited"
          : status === 400
            ? "BadQuery"
            : "Unavailable"
    return new SanityError({
      reason,
      operation,
      status,
      detail,
      ...(Option.isSome(apiError) && apiError.value.errorCode !== undefined
        ? { type: apiError.value.errorCode }
        : {}),
      ...(Option.isSome(retryAfter) ? { retryAfter: retryAfter.value } : {})
    })
  })

/** Builds the client over the `HttpClient` in context. */
export const make = (
  settings: SanityConfig
): Effect.Effect<Context.Tag.Service<SanityClient>, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const base = (settings.baseUrl ?? `https://${settings.projectId}.api.sanity.io`).replace(
      /\/+$/,
      ""
    )
    const version = settings.apiVersion.replace(/^v/, "")
    const endpoint = `${base}/v${version}/data/query/${encodeURIComponent(settings.dataset)}`

    const transport = (cause: unknown) =>
      new SanityError({ reason: "Unavailable", operation: "query", detail: String(cause) })

    const requestOf = (groq: string, params: Params) => {
      const url = new URL(endpoint)
      url.searchParams.set("query", groq)
      for (const [name, value] of Object.entries(params)) {
        url.searchParams.set(`$${name}`, JSON.stringify(value))
      }
      url.searchParams.set("returnQuery", "false")
      const request =
        url.toString().length <= maxGetLength
          ? HttpClientRequest.get(url)
          : HttpClientRequest.post(`${endpoint}?returnQuery=false`).pipe(
              HttpClientRequest.bodyUnsafeJson({ query: groq, params })
            )
      return settings.token === undefined
        ? HttpClientRequest.acceptJson(request)
        : request.pipe(
            HttpClientRequest.acceptJson,
            HttpClientRequest.bearerToken(Redacted.value(settings.token))
          )
    }

    const query = <A, I>(groq: string, params: Params, schema: Schema.Schema<A, I>) =>
      Effect.gen(function* () {
        const response = yield* http
          .execute(requestOf(groq, params))
          .pipe(Effect.timeout(requestTimeout), Effect.mapError(transport))
        if (response.status >= 300) return yield* Effect.flatMap(failure(response), Effect.fail)
        const json = yield* Effect.mapError(response.json, transport)
        const envelope = yield* Schema.decodeUnknown(SanitySchema.Envelope(schema))(json).pipe(
          Effect.mapError(
            (error) =>
              new SanityError({
                reason: "Decode",
                operation: "query",
                detail: ParseResult.TreeFormatter.formatErrorSync(error)
              })
          )
        )
        return envelope.result
      }).pipe(
        Retry.retry({
          operation: "Sanity.query",
          times: 3,
          retryable: (e) => e.reason === "RateLimited" || e.reason === "Unavailable",
          retryAfter: (e) => Option.fromNullable(e.retryAfter)
        }),
        Effect.withSpan("SanityClient.query")
      )

    return { query }
  })

/** The client for `settings`, over the `HttpClient` in context. */
export const layer = (
  settings: SanityConfig
): Layer.Layer<SanityClient, never, HttpClient.HttpClient> =>
  Layer.effect(SanityClient, make(settings))

/** The client configured by `SANITY_*`, over `fetch`. */
export const layerConfig: Layer.Layer<SanityClient, ConfigError.ConfigError> = Layer.effect(
  SanityClient,
  Effect.flatMap(config, make)
).pipe(Layer.provide(FetchHttpClient.layer))
