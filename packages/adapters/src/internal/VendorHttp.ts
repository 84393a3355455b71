/**
 * One exchange with a vendor's HTTP API: a transport failure is the
 * vendor's `Unavailable` error, no answer in time its `Timeout` error, and
 * (with `send`) a non-2xx answer the vendor's error read from its body.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/** Why an exchange failed before the vendor answered. */
export type Reason = "Unavailable" | "Timeout"

/** How long to wait and how to name a failed exchange. */
export interface Guard<E> {
  /** How long the exchange may take. */
  readonly timeout: Duration.Duration
  /** The vendor's error for a failed exchange. */
  readonly error: (reason: Reason, detail: string) => E
}

/** How to read the answer. */
export interface Options<A, E> extends Guard<E> {
  /** Reads a 2xx answer. */
  readonly onSuccess: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<A, E>
  /** The vendor's error for any other answer, its body and the time it came (millis). */
  readonly onFailure: (
    response: HttpClientResponse.HttpClientResponse,
    body: string,
    now: number
  ) => E
}

/** Sends `request` and answers the response, whatever its status. */
export const execute = <E>(
  http: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: Guard<E>
): Effect.Effect<HttpClientResponse.HttpClientResponse, E> =>
  exchange(http, request, options).pipe(within(options))

/** Sends `request` and reads a 2xx answer with `onSuccess`, any other with `onFailure`. */
export const send = <A, E>(
  http: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: Options<A, E>
): Effect.Effect<A, E> =>
  exchange(http, request, options).pipe(
    Effect.flatMap((response) =>
      response.status >= 200 && response.status < 300
        ? options.onSuccess(response)
        : Effect.zipWith(
            Effect.orElseSucceed(response.text, () => ""),
            Effect.clockWith((clock) => clock.currentTimeMillis),
            (body, now) => options.onFailure(response, body, now)
          ).pipe(Effect.flip)
    ),
    within(options)
  )

const exchange = <E>(
  http: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: Guard<E>
) => Effect.mapError(http.execute(request), (error) => options.error("Unavailable", error.message))

const within = <E>(options: Guard<E>) =>
  Effect.timeoutFail({
    duration: options.timeout,
    onTimeout: () =>
      options.error("Timeout", `no answer within ${Duration.format(options.timeout)}`)
  })
