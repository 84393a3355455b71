/**
 * Cache invalidation for the Next.js data cache.
 *
 * Next's `revalidateTag` must run in the request that asked for it, but an
 * Effect fiber may resume outside that request's async context. So the port
 * only collects the tags of the effect it runs in ({@link collecting}); the
 * route handler revalidates them once the effect is done. Outside a
 * collecting effect the tags are revalidated at once.
 *
 * @since 0.1.0
 */
import { CacheInvalidation } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import { revalidateTag } from "next/cache"

/** Where the tags of the running effect are collected, if anywhere. */
const sink = globalValue(Symbol.for("@mercantile/app-next/NextCache/sink"), () =>
  FiberRef.unsafeMake<Array<string> | undefined>(undefined)
)

/** Expires the tags now: the next read of each recomputes it. */
export const revalidate = (tags: ReadonlyArray<string>): void => {
  for (const tag of new Set(tags)) revalidateTag(tag, { expire: 0 })
}

const invalidateNow = (tags: ReadonlyArray<string>) =>
  Effect.try(() => revalidate(tags)).pipe(
    Effect.catchAll((error) =>
      Effect.logWarning("cache tags not revalidated outside a request").pipe(
        Effect.annotateLogs({ tags: tags.join(" "), cause: String(error.error) })
      )
    )
  )

/** The port: collect into the sink when there is one, else revalidate now. */
export const layer: Layer.Layer<CacheInvalidation.CacheInvalidation> = Layer.succeed(
  CacheInvalidation.CacheInvalidation,
  CacheInvalidation.CacheInvalidation.of({
    invalidate: (tags) =>
      Effect.flatMap(FiberRef.get(sink), (collected) =>
        collected === undefined
          ? invalidateNow(tags)
          : Effect.sync(() => {
              collected.push(...tags)
            })
      )
  })
)

/** Runs an effect and answers its value with the tags it asked to invalidate. */
export const collecting = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<readonly [A, ReadonlyArray<string>], E, R> =>
  Effect.suspend(() => {
    const tags: Array<string> = []
    return Effect.map(Effect.locally(effect, sink, tags), (value) => [value, tags] as const)
  })
