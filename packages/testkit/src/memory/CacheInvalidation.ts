/**
 * Cache invalidation held in memory: it remembers every tag it was asked to
 * invalidate, so a test can check that an event touched only its own tags.
 *
 * @since 0.1.0
 */
import { CacheInvalidation } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** Reads and clears the tags invalidated so far. */
export class MemoryCacheControl extends Context.Tag("@mercantile/testkit/MemoryCacheControl")<
  MemoryCacheControl,
  {
    /** Every tag invalidated, in call order, repeats included. */
    readonly invalidated: Effect.Effect<ReadonlyArray<string>>
    /** Forgets the tags invalidated so far. */
    readonly clear: Effect.Effect<void>
  }
>() {}

/** Builds the invalidation service and its control. */
export const make = Effect.sync(() => {
  let tags: Array<string> = []
  return {
    cache: CacheInvalidation.CacheInvalidation.of({
      invalidate: (more) =>
        Effect.sync(() => {
          tags.push(...more)
        })
    }),
    control: MemoryCacheControl.of({
      invalidated: Effect.sync(() => [...tags]),
      clear: Effect.sync(() => {
        tags = []
      })
    })
  }
})

/** The cache invalidation port and {@link MemoryCacheControl}. */
export const layer: Layer.Layer<CacheInvalidation.CacheInvalidation | MemoryCacheControl> =
  Layer.effectContext(
    Effect.map(make, (s) =>
      Context.make(CacheInvalidation.CacheInvalidation, s.cache).pipe(
        Context.add(MemoryCacheControl, s.control)
      )
    )
  )
