/**
 * The storefront's one Effect runtime, built from the configured layers.
 *
 * It is kept on `globalThis`: Next bundles the instrumentation hook, the
 * pages and the route handlers separately, and reloads modules in
 * development, yet they must all share one runtime (and so one database
 * session, one memory store, one outbox worker).
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as AppLayer from "./AppLayer"

/** The runtime of {@link AppLayer.layer}. */
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppLayer.Services, never>

const key = Symbol.for("@mercantile/app-next/runtime")

interface Holder {
  [key]?: AppRuntime
}

/** The process's runtime; its layers are built on first use. */
export const runtime = (): AppRuntime => {
  const holder = globalThis as Holder
  holder[key] ??= ManagedRuntime.make(
    // A storefront that cannot build its services cannot serve: every request fails loudly.
    Layer.orDie(Layer.merge(AppLayer.layer, Logger.logFmt))
  )
  return holder[key]
}

/** Runs an effect on the runtime; fails the promise with the error or defect. */
export const run = <A, E>(effect: Effect.Effect<A, E, AppLayer.Services>): Promise<A> =>
  runtime().runPromise(effect)

/** Runs an effect on the runtime and answers its exit. */
export const runExit = <A, E>(
  effect: Effect.Effect<A, E, AppLayer.Services>
): Promise<Exit.Exit<A, E>> => runtime().runPromiseExit(effect)
