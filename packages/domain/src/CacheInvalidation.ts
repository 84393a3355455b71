/**
 * Invalidation of cached reads (product pages, listings) by tag.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"

/** Invalidates cached entries by tag. */
export class CacheInvalidation extends Context.Tag("@mercantile/domain/CacheInvalidation")<
  CacheInvalidation,
  {
    /** Marks every entry carrying any of these tags stale. */
    readonly invalidate: (tags: ReadonlyArray<string>) => Effect.Effect<void>
  }
>() {}
