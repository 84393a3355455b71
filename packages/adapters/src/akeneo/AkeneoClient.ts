/**
 * The Akeneo REST API client: base URL, OAuth2 password grant with a cached
 * token renewed by its refresh token, HAL paging, typed errors and
 * `Retry-After` on 429. `AkeneoPim` builds the `Pim` port on top of it.
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
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Retry from "../internal/Retry"
import * as AkeneoSchema from "./AkeneoSchema"

/** How to reach one Akeneo instance through one API connection. */
export interface AkeneoConfig {
  readonly baseUrl: string
  readonly clientId: string
  readonly secret: Redacted.Redacted<string>
  readonly username: string
  readonly password: Redacted.Redacted<string>
  /** The locale of names and labels, `en_US` unless told. */
  readonly locale: string
  /** The channel (scope) of scopable values, `ecommerce` unless told. */
  readonly channel: string
  /** Items per page, at most 100; 100 unless told. */
  readonly pageSize?: number
}

/** `AKENEO_*` settings. */
export const config: Config.Config<AkeneoConfig> = Config.all({
  baseUrl: Config.string("AKENEO_BASE_URL"),
  clientId: Config.string("AKENEO_CLIENT_ID"),
  secret: Config.redacted("AKENEO_SECRET"),
  username: Config.string("AKENEO_USERNAME"),
  password: Config.redacted("AKENEO_PASSWORD"),
  locale: Config.withDefault(Config.string("AKENEO_LOCALE"), "en_US"),
  channel: Config.withDefault(Config.string("AKENEO_CHANNEL"), "ecommerce")
})

/** Why an Akeneo call failed. */
export type Reason =
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "BadRequest"
  | "Unprocessable"
  | "RateLimited"
  | "Unavailable"
  | "Decode"

/** An Akeneo call failed; `fieldErrors` carries a 422's `errors[]`. */
export class AkeneoError extends Data.TaggedError("AkeneoError")<{
  readonly reason: Reason
  readonly operation: string
  readonly detail: string
  readonly status?: number
  readonly fieldErrors?: ReadonlyArray<string>
  readonly retryAfter?: Duration.Duration
}> {
  override get message(): string {
    const fields = this.fieldErrors?.length ? ` [${this.fieldErrors.join("; ")}]` : ""
    return `Akeneo ${this.operation} failed (${this.reason}): ${this.detail}${fields}`
  }
}

/** One page of a listing; `next` is an opaque cursor for `page`. */
export interface PageOf<A> {
  readonly items: ReadonlyArray<A>
  readonly next: Option.Option<string>
}

/** Query parameters; objects are sent as JSON (Akeneo's `search`). */
export type Params = Readonly<Record<string, string | number | boolean | object | undefined>>

/** The Akeneo REST API, authenticated. */
export class AkeneoClient extends Context.Tag("@mercantile/adapters/AkeneoClient")<
  AkeneoClient,
  {
    readonly locale: string
    readonly channel: string
    readonly pageSize: number
    /** GETs `path` and decodes the body with `schema`. */
    readonly get: <A, I>(
      path: string,
      schema: Schema.Schema<A, I>,
      params?: Params
    ) => Effect.Effect<A, AkeneoError>
    /** One page of a listing at `path`, or at the cursor a previous page gave. */
    readonly page: <A, I>(
      pathOrCursor: string,
      item: Schema.Schema<A, I>,
      params?: Params
    ) => Effect.Effect<PageOf<A>, AkeneoError>
    /** Every item of a listing, following `_links.next` to the end. */
    readonly all: <A, I>(
      path: string,
      item: Schema.Schema<A, I>,
      params?: Params
    ) => Effect.Effect<ReadonlyArray<A>, AkeneoError>
  }
>() {}

interface Session {
  readonly access: string
  readonly refresh: string
  readonly expiresAt: number
}

/** Renew a token this long before Akeneo says it expires. */
const renewMargin = Duration.toMillis(Duration.seconds(60))

const requestTimeout = Duration.seconds(30)

const retryAfterOf = (response: HttpClientResponse.HttpClientResponse) =>
  Retry.parseRetryAfter(response.headers["retry-after"], Date.now())

const reasonOf = (status: number): Reason => {
  if (status === 401) return "Unauthorized"
  if (status === 403) return "Forbidden"
  if (status === 404) return "NotFound"
  if (status === 422) return "Unprocessable"
  if (status === 429) return "RateLimited"
  if (status >= 500) return "Unavailable"
  return "BadRequest"
}

/** Turns a non-2xx answer into a typed error, reading Akeneo's `{code, message, errors}` body. */
const failure = (operation: string, response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function* () {
    const text = yield* Effect.orElseSucceed(response.text, () => "")
    const body = yield* Effect.option(
      Schema.decodeUnknown(Schema.parseJson(AkeneoSchema.ErrorBody))(text)
    )
    const retryAfter = retryAfterOf(response)
    const fieldErrors = Option.match(body, {
      onNone: () => [],
      onSome: ({ errors = [] }) =>
        errors.map((e) => `${e.property ?? e.attribute ?? "?"}: ${e.message}`)
    })
    return new AkeneoError({
      reason: reasonOf(response.status),
      operation,
      status: response.status,
      detail: Option.match(body, {
        onNone: () => `HTTP ${response.status} ${text.slice(0, 200)}`,
        onSome: (b) => b.message
      }),
      ...(fieldErrors.length > 0 ? { fieldErrors } : {}),
      ...(Option.isSome(retryAfter) ? { retryAfter: retryAfter.value } : {})
    })
  })

const decodeError = (operation: string) => (error: ParseResult.ParseError) =>
  new AkeneoError({
    reason: "Decode",
    operation,
    detail: ParseResult.TreeFormatter.formatErrorSync(error)
  })

const operationOf = (url: URL) => `GET ${url.pathname.replace(/^.*\/api\/rest\/v1/, "")}`

/** Builds the client over the `HttpClient` in context. */
export const make = (
  settings: AkeneoConfig
): Effect.Effect<Context.Tag.Service<AkeneoClient>, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const base = new URL(settings.baseUrl.replace(/\/+$/, "") + "/")
    const pageSize = Math.min(100, Math.max(1, settings.pageSize ?? 100))
    const session = yield* SynchronizedRef.make(Option.none<Session>())

    const transport = (operation: string) => (cause: unknown) =>
      new AkeneoError({ reason: "Unavailable", operation, detail: String(cause) })

    const grant = (body: Record<string, string>) =>
      Effect.gen(function* () {
        const operation = `token ${body["grant_type"]}`
        const request = HttpClientRequest.post(new URL("api/oauth/v1/token", base)).pipe(
          HttpClientRequest.basicAuth(settings.clientId, Redacted.value(settings.secret)),
          HttpClientRequest.acceptJson,
          HttpClientRequest.bodyUnsafeJson(body)
        )
        const response = yield* http
          .execute(request)
          .pipe(Effect.timeout(requestTimeout), Effect.mapError(transport(operation)))
        if (response.status >= 300) {
          const error = yield* failure(operation, response)
          return yield* Effect.fail(
            error.reason === "BadRequest" || error.reason === "Unprocessable"
              ? new AkeneoError({ ...error, reason: "Unauthorized" })
              : error
          )
        }
        const token = yield* response.json.pipe(
          Effect.mapError(transport(operation)),
          Effect.flatMap(Schema.decodeUnknown(AkeneoSchema.Token)),
          Effect.mapError((e) => (e instanceof AkeneoError ? e : decodeError(operation)(e)))
        )
        const now = Date.now()
        return {
          access: token.access_token,
          refresh: token.refresh_token,
          expiresAt: now + token.expires_in * 1000 - renewMargin
        } satisfies Session
      })

    const login = grant({
      grant_type: "password",
      username: settings.username,
      password: Redacted.value(settings.password)
    }).pipe(Effect.tap(() => Effect.logDebug("Akeneo token issued")))

    const renew = (previous: Session) =>
      grant({ grant_type: "refresh_token", refresh_token: previous.refresh }).pipe(
        Effect.tap(() => Effect.logDebug("Akeneo token renewed")),
        Effect.catchAll((error) =>
          Effect.logWarning("Akeneo refresh token refused; logging in again").pipe(
            Effect.annotateLogs({ reason: error.reason }),
            Effect.zipRight(login)
          )
        )
      )

    /** A valid access token: the cached one, renewed or issued when needed. */
    const accessToken = SynchronizedRef.modifyEffect(session, (current) => {
      if (Option.isSome(current) && current.value.expiresAt > Date.now()) {
        return Effect.succeed([current.value.access, current] as const)
      }
      const next = Option.isSome(current) ? renew(current.value) : login
      return Effect.map(next, (fresh) => [fresh.access, Option.some(fresh)] as const)
    })

    /** Marks `used` as expired so the next call renews it with the refresh token. */
    const expire = (used: string) =>
      SynchronizedRef.update(session, (current) =>
        Option.map(current, (s) => (s.access === used ? { ...s, expiresAt: 0 } : s))
      )

    const send = (url: URL, operation: string, attempt = 1): Effect.Effect<unknown, AkeneoError> =>
      Effect.gen(function* () {
        const token = yield* accessToken
        const request = HttpClientRequest.get(url).pipe(
          HttpClientRequest.bearerToken(token),
          HttpClientRequest.acceptJson
        )
        const response = yield* http
          .execute(request)
          .pipe(Effect.timeout(requestTimeout), Effect.mapError(transport(operation)))
        if (response.status === 401 && attempt === 1) {
          yield* Effect.logInfo("Akeneo refused the access token; renewing it")
          yield* expire(token)
          return yield* send(url, operation, attempt + 1)
        }
        if (response.status >= 300)
          return yield* Effect.flatMap(failure(operation, response), Effect.fail)
        return yield* Effect.mapError(response.json, transport(operation))
      })

    const call = <A, I>(url: URL, schema: Schema.Schema<A, I>) => {
      const operation = operationOf(url)
      return send(url, operation).pipe(
        Retry.retry({
          operation: `Akeneo.${operation}`,
          times: 3,
          retryable: (e) => e.reason === "RateLimited" || e.reason === "Unavailable",
          retryAfter: (e) => Option.fromNullable(e.retryAfter)
        }),
        Effect.flatMap((json) =>
          Effect.mapError(Schema.decodeUnknown(schema)(json), decodeError(operation))
        ),
        Effect.withSpan("AkeneoClient.get", { attributes: { path: url.pathname } })
      )
    }

    const urlOf = (pathOrCursor: string, params: Params = {}) => {
      const url = new URL(pathOrCursor.replace(/^\/+/, ""), base)
      for (const [key, value] of Object.entries(params)) {
        if (value === undefined) continue
        url.searchParams.set(key, typeof value === "object" ? JSON.stringify(value) : String(value))
      }
      return url
    }

    /** A next link as a cursor: path and query only, replayed against our own base URL. */
    const cursorOf = (href: string) => {
      const url = new URL(href, base)
      return url.pathname.slice(base.pathname.length) + url.search
    }

    const page = <A, I>(pathOrCursor: string, item: Schema.Schema<A, I>, params?: Params) => {
      const url = urlOf(pathOrCursor, params)
      if (!url.searchParams.has("limit")) url.searchParams.set("limit", String(pageSize))
      return Effect.map(call(url, AkeneoSchema.Page(item)), (body) => ({
        items: body._embedded.items,
        next: Option.map(Option.fromNullable(body._links.next), (link) => cursorOf(link.href))
      }))
    }

    const all = <A, I>(path: string, item: Schema.Schema<A, I>, params?: Params) =>
      Effect.gen(function* () {
        const items: Array<A> = []
        let next: Option.Option<string> = Option.some(path)
        let first = true
        while (Option.isSome(next)) {
          const current: PageOf<A> = yield* page(next.value, item, first ? params : undefined)
          items.push(...current.items)
          next = current.next
          first = false
        }
        return items
      })

    return {
      locale: settings.locale,
      channel: settings.channel,
      pageSize,
      get: (path, schema, params) => call(urlOf(path, params), schema),
      page,
      all
    }
  })

/** The client for `settings`, over the `HttpClient` in context. */
export const layer = (
  settings: AkeneoConfig
): Layer.Layer<AkeneoClient, never, HttpClient.HttpClient> =>
  Layer.effect(AkeneoClient, make(settings))

/** The client configured by `AKENEO_*`, over `fetch`. */
export const layerConfig: Layer.Layer<AkeneoClient, ConfigError.ConfigError> = Layer.effect(
  AkeneoClient,
  Effect.flatMap(config, make)
).pipe(Layer.provide(FetchHttpClient.layer))
