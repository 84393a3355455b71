import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as Retry from "../../src/internal/Retry"

interface Failure {
  readonly retryable: boolean
  readonly retryAfter?: Duration.Duration
}

const options = (times = 3): Retry.Options<Failure> => ({
  operation: "test",
  times,
  base: Duration.millis(100),
  retryable: (e) => e.retryable,
  retryAfter: (e) => Option.fromNullable(e.retryAfter)
})

/** Fails with `failures` in turn, then succeeds; counts attempts. */
const flaky = (attempts: Ref.Ref<number>, failures: ReadonlyArray<Failure>) =>
  Ref.getAndUpdate(attempts, (n) => n + 1).pipe(
    Effect.flatMap((n) => (n < failures.length ? Effect.fail(failures[n]!) : Effect.succeed(n)))
  )

describe("Retry", () => {
  it.effect("waits the Retry-After delay before the next attempt", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const fiber = yield* Effect.fork(
        flaky(attempts, [{ retryable: true, retryAfter: Duration.seconds(7) }]).pipe(
          Retry.retry(options())
        )
      )
      yield* TestClock.adjust(Duration.seconds(6))
      expect(yield* Ref.get(attempts)).toBe(1)
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* Fiber.join(fiber)).toBe(1)
      expect(yield* Ref.get(attempts)).toBe(2)
    })
  )

  it.effect("does not retry errors that may have written", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const error = yield* Effect.flip(
        flaky(attempts, [{ retryable: false }]).pipe(Retry.retry(options()))
      )
      expect(error.retryable).toBe(false)
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )

  it.effect("gives up after the allowed retries", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const always = Array.from({ length: 10 }, () => ({ retryable: true }))
      const fiber = yield* Effect.fork(
        Effect.flip(flaky(attempts, always).pipe(Retry.retry(options(2))))
      )
      yield* TestClock.adjust(Duration.minutes(5))
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(attempts)).toBe(3)
    })
  )

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z")
    expect(Retry.parseRetryAfter("3", now)).toEqual(Option.some(Duration.seconds(3)))
    expect(Retry.parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toEqual(
      Option.some(Duration.millis(10_000))
    )
    expect(Retry.parseRetryAfter(undefined, now)).toEqual(Option.none())
    expect(Retry.parseRetryAfter("soon", now)).toEqual(Option.none())
  })
})
