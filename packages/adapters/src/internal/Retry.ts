/**
 * Retries of vendor HTTP calls: exponential backoff with jitter, replaced by
 * the vendor's own `Retry-After` when it sent one, for errors that promise
 * nothing was written (429, 503, a concurrency limit).
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"

/** How to retry. */
export interface Options<E> {
  /** True for errors after which nothing was written and a retry may succeed. */
  readonly retryable: (error: E) => boolean
  /** The delay the vendor asked for, if any. */
  readonly retryAfter: (error: E) => Option.Option<Duration.Duration>
  /** Retries after the first attempt; 4 unless told. */
  readonly times?: number
  /** The first backoff delay; 200 ms unless told. */
  readonly base?: Duration.DurationInput
  /** The longest delay, whatever the vendor asked; 60 s unless told. */
  readonly maxDelay?: Duration.DurationInput
  /** Names the call in logs ("NetSuite.suiteql"). */
  readonly operation: string
}

/** The schedule behind `retry`, exposed so that tests can inspect it. */
export const schedule = <E>(options: Options<E>): Schedule.Schedule<unknown, E> => {
  const cap = Duration.decode(options.maxDelay ?? Duration.seconds(60))
  return Schedule.exponential(options.base ?? Duration.millis(200)).pipe(
    Schedule.jittered,
    Schedule.zipRight(Schedule.identity<E>()),
    Schedule.zipLeft(Schedule.recurs(options.times ?? 4)),
    Schedule.whileInput(options.retryable),
    Schedule.modifyDelayEffect((error, backoff) => {
      const wanted = Option.getOrElse(options.retryAfter(error), () => backoff)
      const delay = Duration.millis(Math.round(Duration.toMillis(Duration.min(wanted, cap))))
      return Effect.as(
        Effect.logWarning("retrying vendor call").pipe(
          Effect.annotateLogs({
            operation: options.operation,
            delay: Duration.format(delay),
            error: String(error)
          })
        ),
        delay
      )
    })
  )
}

/** Retries `self` on retryable errors, honouring `Retry-After`. */
export const retry =
  <E>(options: Options<E>) =>
  <A, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.retry(self, schedule(options))

/**
 * Reads a `Retry-After` header: delay seconds, or an HTTP date measured from
 * `now` (millis). Absent or unreadable headers give none.
 */
export const parseRetryAfter = (
  header: string | undefined,
  now: number
): Option.Option<Duration.Duration> => {
  if (header === undefined) return Option.none()
  const value = header.trim()
  if (/^\d+$/.test(value)) return Option.some(Duration.seconds(Number(value)))
  const at = Date.parse(value)
  if (Number.isNaN(at)) return Option.none()
  return Option.some(Duration.millis(Math.max(0, at - now)))
}
