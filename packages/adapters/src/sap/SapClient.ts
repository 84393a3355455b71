/**
 * The SAP S/4HANA Cloud vendor client: OData v2 over `@effect/platform`'s
 * `HttpClient`.
 *
 * It owns what is SAP's and not the domain's: the service URLs, Basic
 * (communication user) or `APIKey` (API Hub sandbox) authentication, the
 * CSRF token and the session cookies that come with it, `If-Match` on
 * updates, `__next` paging, timeouts, retries of reads on 429 / 5xx
 * honouring `Retry-After`, and error bodies in JSON or XML decoded into
 * `ErpError`s.
 *
 * CSRF: a modifying call first fetches a token with `X-CSRF-Token: Fetch`
 * and keeps it with the cookies of that answer; every later modifying call
 * sends both. When SAP answers 403 with `x-csrf-token: Required` (the
 * session expired) the token is fetched again and the call is sent once
 * more.
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Erp } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Retry from "../internal/Retry"
import * as VendorHttp from "../internal/VendorHttp"
import * as OData from "./OData"

/** How the client proves who it is. */
export type Auth =
  | {
      readonly _tag: "Basic"
      readonly username: string
      readonly password: Redacted.Redacted
    }
  | { readonly _tag: "ApiKey"; readonly apiKey: Redacted.Redacted }

/** Where SAP is and how to talk to it. */
export interface Options {
  /** The tenant's API host, e.g. `https://my123456-api.s4hana.cloud.sap`. */
  readonly baseUrl: string
  readonly auth: Auth
  /** How long one request may take; 10 s unless told. */
  readonly timeout?: Duration.DurationInput
  /** Retries of a read after the first attempt; 3 unless told. */
  readonly retries?: number
}

/** A decoded entity and the ETag to send back with an update. */
export interface Tagged<A> {
  readonly value: A
  readonly etag: Option.Option<string>
}

/** OData v2 calls against one S/4HANA tenant. */
export class SapClient extends Context.Tag("@mercantile/adapters/SapClient")<
  SapClient,
  {
    /** Reads one entity (`path` relative to the service root, query included). */
    readonly get: <A, I>(
      service: string,
      path: string,
      entity: Schema.Schema<A, I>
    ) => Effect.Effect<Tagged<A>, Erp.ErpError>
    /** Reads every page of a collection, following `__next`. */
    readonly getAll: <A, I>(
      service: string,
      path: string,
      item: Schema.Schema<A, I>
    ) => Effect.Effect<ReadonlyArray<A>, Erp.ErpError>
    /** Creates an entity (a deep insert when `body` holds navigations); never retried. */
    readonly post: <A, I>(
      service: string,
      path: string,
      body: unknown,
      entity: Schema.Schema<A, I>
    ) => Effect.Effect<A, Erp.ErpError>
    /** Updates an entity guarded by its ETag (`If-Match`); never retried. */
    readonly patch: (
      service: string,
      path: string,
      body: unknown,
      etag: string
    ) => Effect.Effect<void, Erp.ErpError>
  }
>() {}

interface Session {
  readonly token: string
  readonly cookies: Cookies.Cookies
}

const maxPages = 1000

/** Maps an HTTP status and SAP's error body to the port's error. */
export const errorFor = (
  status: number,
  operation: string,
  detail: string,
  retryAfter: Option.Option<Duration.Duration>
): Erp.ErpError => {
  const reason: Erp.ErpError["reason"] =
    status === 401 || status === 403
      ? "Unauthorized"
      : status === 404
        ? "NotFound"
        : status === 429
          ? "RateLimited"
          : status === 504 || status === 408
            ? "Timeout"
            : status >= 500
              ? "Unavailable"
              : "Rejected"
  return new Erp.ErpError({
    reason,
    operation,
    detail: `HTTP ${status} ${detail}`,
    ...(Option.isSome(retryAfter) ? { retryAfter: retryAfter.value } : {})
  })
}

/** Decodes an error body, JSON or XML, into a one-line detail. */
export const errorDetail = (contentType: string, text: string): string => {
  const parsed = Either.try(() =>
    contentType.includes("xml") || text.trimStart().startsWith("<")
      ? OData.xmlErrorToJson(text)
      : (JSON.parse(text) as unknown)
  )
  const body = Either.flatMap(parsed, (raw) => Schema.decodeUnknownEither(OData.ErrorBody)(raw))
  return Either.match(body, {
    onLeft: () => text.slice(0, 200),
    onRight: OData.describeError
  })
}

/** Builds the client from its options over an `HttpClient`. */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(10))
    const base = options.baseUrl.replace(/\/+$/, "")
    const session = yield* SynchronizedRef.make(Option.none<Session>())

    const root = (service: string) => `${base}/sap/opu/odata/sap/${service}`
    const url = (service: string, path: string) =>
      /^https?:\/\//.test(path) ? path : `${root(service)}/${path.replace(/^\/+/, "")}`

    const authorize = (request: HttpClientRequest.HttpClientRequest) =>
      options.auth._tag === "Basic"
        ? HttpClientRequest.basicAuth(
            request,
            options.auth.username,
            Redacted.value(options.auth.password)
          )
        : HttpClientRequest.setHeader(request, "APIKey", Redacted.value(options.auth.apiKey))

    const exchange = (request: HttpClientRequest.HttpClientRequest, operation: string) =>
      VendorHttp.execute(http, authorize(HttpClientRequest.acceptJson(request)), {
        timeout,
        error: (reason, detail) => new Erp.ErpError({ reason, operation, detail })
      })

    const readBody = (response: HttpClientResponse.HttpClientResponse, operation: string) =>
      response.text.pipe(
        Effect.mapError(
          (error) => new Erp.ErpError({ reason: "Unavailable", operation, detail: error.message })
        )
      )

    const interpret = (response: HttpClientResponse.HttpClientResponse, operation: string) =>
      Effect.gen(function* () {
        const text = yield* readBody(response, operation)
        if (response.status >= 200 && response.status < 300) return text
        const detail = errorDetail(response.headers["content-type"] ?? "", text)
        const retryAfter = Retry.parseRetryAfter(response.headers["retry-after"], Date.now())
        yield* Effect.logDebug("SAP refused a call").pipe(
          Effect.annotateLogs({ operation, status: response.status, detail })
        )
        return yield* errorFor(response.status, operation, detail, retryAfter)
      })

    const decodeJson = <A, I>(schema: Schema.Schema<A, I>, text: string, operation: string) =>
      Schema.decodeUnknown(Schema.parseJson(schema))(text).pipe(
        Effect.mapError(
          (error) => new Erp.ErpError({ reason: "Decode", operation, detail: error.message })
        )
      )

    const retryReads = Retry.retry<Erp.ErpError>({
      retryable: (error) => Erp.isRetryable(error) || error.reason === "Timeout",
      retryAfter: (error) => Option.fromNullable(error.retryAfter),
      times: options.retries ?? 3,
      operation: "SapClient.get"
    })

    const fetchSession = (service: string) =>
      Effect.gen(function* () {
        const operation = "csrf"
        const request = HttpClientRequest.get(`${root(service)}/`).pipe(
          HttpClientRequest.setHeader("X-CSRF-Token", "Fetch")
        )
        const response = yield* exchange(request, operation)
        yield* interpret(response, operation)
        const token = response.headers["x-csrf-token"]
        if (token === undefined || token === "" || token.toLowerCase() === "required") {
          return yield* new Erp.ErpError({
            reason: "Unauthorized",
            operation,
            detail: "SAP sent no CSRF token"
          })
        }
        return { token, cookies: response.cookies }
      }).pipe(Effect.withSpan("SapClient.fetchCsrfToken"))

    const currentSession = (service: string, stale: Option.Option<Session>) =>
      SynchronizedRef.modifyEffect(session, (held) => {
        const fresh = Option.isSome(held) && !(Option.isSome(stale) && stale.value === held.value)
        return fresh
          ? Effect.succeed([held.value, held] as const)
          : Effect.map(fetchSession(service), (s) => [s, Option.some(s)] as const)
      })

    const modify = (
      service: string,
      request: HttpClientRequest.HttpClientRequest,
      operation: string
    ) =>
      Effect.gen(function* () {
        const send = (s: Session) =>
          exchange(
            request.pipe(
              HttpClientRequest.setHeader("X-CSRF-Token", s.token),
              HttpClientRequest.setHeader("Cookie", Cookies.toCookieHeader(s.cookies))
            ),
            operation
          )
        const first = yield* currentSession(service, Option.none())
        const response = yield* send(first)
        const required = response.headers["x-csrf-token"]?.toLowerCase() === "required"
        if (response.status !== 403 || !required) return yield* interpret(response, operation)

        yield* Effect.logInfo("SAP CSRF token expired, fetching a new one").pipe(
          Effect.annotateLogs({ operation })
        )
        const second = yield* currentSession(service, Option.some(first))
        return yield* Effect.flatMap(send(second), (r) => interpret(r, operation))
      })

    const get = <A, I>(service: string, path: string, entity: Schema.Schema<A, I>) =>
      Effect.gen(function* () {
        const operation = `GET ${service}`
        const response = yield* exchange(HttpClientRequest.get(url(service, path)), operation)
        const text = yield* interpret(response, operation)
        const decoded = yield* decodeJson(OData.Entity(entity), text, operation)
        const metadata = yield* decodeJson(
          Schema.Struct({ d: Schema.Struct({ __metadata: Schema.optional(OData.Metadata) }) }),
          text,
          operation
        )
        return {
          value: decoded.d,
          etag: Option.fromNullable(response.headers["etag"] ?? metadata.d.__metadata?.etag)
        }
      }).pipe(retryReads, Effect.withSpan("SapClient.get", { attributes: { service } }))

    const getAll = <A, I>(service: string, path: string, item: Schema.Schema<A, I>) =>
      Effect.gen(function* () {
        const operation = `GET ${service}`
        const rows: Array<A> = []
        let next: string | undefined = url(service, path)
        for (let page = 0; next !== undefined; page++) {
          if (page >= maxPages) {
            return yield* new Erp.ErpError({
              reason: "Decode",
              operation,
              detail: `more than ${maxPages} pages`
            })
          }
          const at: string = next
          const text = yield* exchange(HttpClientRequest.get(at), operation).pipe(
            Effect.flatMap((response) => interpret(response, operation)),
            retryReads
          )
          const body = yield* decodeJson(OData.Collection(item), text, operation)
          rows.push(...body.d.results)
          next = body.d.__next === undefined ? undefined : new URL(body.d.__next, at).href
        }
        return rows
      }).pipe(Effect.withSpan("SapClient.getAll", { attributes: { service } }))

    const post = <A, I>(
      service: string,
      path: string,
      body: unknown,
      entity: Schema.Schema<A, I>
    ) =>
      Effect.gen(function* () {
        const operation = `POST ${service}`
        const request = HttpClientRequest.post(url(service, path)).pipe(
          HttpClientRequest.bodyUnsafeJson(body)
        )
        const text = yield* modify(service, request, operation)
        const decoded = yield* decodeJson(OData.Entity(entity), text, operation)
        return decoded.d
      }).pipe(Effect.withSpan("SapClient.post", { attributes: { service } }))

    const patch = (service: string, path: string, body: unknown, etag: string) =>
      Effect.gen(function* () {
        const operation = `PATCH ${service}`
        const request = HttpClientRequest.patch(url(service, path)).pipe(
          HttpClientRequest.setHeader("If-Match", etag),
          HttpClientRequest.bodyUnsafeJson(body)
        )
        yield* modify(service, request, operation)
      }).pipe(Effect.withSpan("SapClient.patch", { attributes: { service } }))

    return SapClient.of({ get, getAll, post, patch })
  })

/** The client over the given options; needs an `HttpClient` (e.g. `FetchHttpClient.layer`). */
export const layer = (options: Options): Layer.Layer<SapClient, never, HttpClient.HttpClient> =>
  Layer.effect(SapClient, make(options))
