/**
 * The storefront process's background work: the outbox worker and the
 * reservation sweeper. They run in the server process's own runtime because
 * the embedded database takes one session: only one process may connect.
 *
 * @since 0.1.0
 */
import { OutboxWorker, ReservationSweeper } from "@mercantile/domain"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import { runtime } from "./runtime"

/** How often each loop runs (`MERCANTILE_OUTBOX_EVERY`, `MERCANTILE_SWEEP_EVERY`). */
const every = Config.all({
  outbox: Config.duration("MERCANTILE_OUTBOX_EVERY").pipe(Config.withDefault("1 second")),
  sweep: Config.duration("MERCANTILE_SWEEP_EVERY").pipe(Config.withDefault("30 seconds"))
})

const key = Symbol.for("@mercantile/app-next/background")

interface Holder {
  [key]?: true
}

/** Starts both loops once per process; they stop when the runtime is disposed. */
export const start = async (): Promise<void> => {
  const holder = globalThis as Holder
  if (holder[key]) return
  holder[key] = true
  const rt = runtime()
  await rt.runPromise(
    Effect.gen(function* () {
      const config = yield* every
      yield* Effect.forkDaemon(OutboxWorker.loop(config.outbox))
      yield* Effect.forkDaemon(ReservationSweeper.loop(config.sweep))
      yield* Effect.logInfo("background work started").pipe(
        Effect.annotateLogs({
          outbox_every: String(config.outbox),
          sweep_every: String(config.sweep)
        })
      )
    })
  )
}
