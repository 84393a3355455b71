/**
 * The sweeper: expires holds whose time is up, so their units return to sale.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { Inventory } from "./Inventory"

/** Expires every hold past its expiry now; returns how many. */
export const sweepOnce = Effect.gen(function* () {
  const inventory = yield* Inventory
  const now = new Date(yield* Clock.currentTimeMillis)
  const expired = yield* inventory.expire(now)
  if (expired > 0) yield* Effect.logInfo("holds expired").pipe(Effect.annotateLogs({ expired }))
  return expired
}).pipe(Effect.withSpan("ReservationSweeper.sweepOnce"))

/** Sweeps every `every` until the scope closes; a failed sweep is logged and the next one runs. */
export const loop = (every: Duration.DurationInput) =>
  sweepOnce.pipe(
    Effect.catchAll((error) => Effect.logError("sweep failed", error.message)),
    Effect.repeat(Schedule.spaced(every))
  )
