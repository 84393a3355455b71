/**
 * The `CacheInvalidation` port on the shared Redis cache: tags expire at once
 * on every storefront instance, from any process — a queue consumer or a
 * background fiber outside a Next request, where `revalidateTag` cannot run.
 *
 * It writes the manifest `RedisCacheHandler` reads, so it must use the same
 * `REDIS_URL` and `MERCANTILE_CACHE_PREFIX` as the storefront. Each instance
 * sees the invalidation on its next request.
 *
 * @since 0.1.0
 */
import { CacheInvalidation } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as RedisCacheHandler from "./RedisCacheHandler"

// Next stores a tag with each run of characters outside tab and printable
// ASCII percent-encoded; the port writes tags the same way.
const outside = /[^\t\x20-\x7e]+/g

/** A tag as Next stores it. */
export const nextTag = (tag: string): string => tag.replace(outside, encodeURIComponent)

/** The port on a handler: the tags expire now, as with `updateTag`. */
export const make = (
  handler: RedisCacheHandler.CacheHandler
): CacheInvalidation.CacheInvalidation["Type"] =>
  CacheInvalidation.CacheInvalidation.of({
    invalidate: (tags) =>
      Effect.promise(() => handler.updateTags([...new Set(tags.map(nextTag))])).pipe(
        Effect.annotateLogs({ tags: tags.join(" ") }),
        Effect.withSpan("RedisCacheInvalidation.invalidate")
      )
  })

const scoped = <E>(handler: Effect.Effect<RedisCacheHandler.RedisCacheHandler, E>) =>
  Layer.scoped(
    CacheInvalidation.CacheInvalidation,
    Effect.acquireRelease(handler, (h) => Effect.promise(() => h.close())).pipe(Effect.map(make))
  )

/** The port on a Redis described by options. */
export const layer = (options: RedisCacheHandler.Options) =>
  scoped(Effect.sync(() => RedisCacheHandler.make(options)))

/** The port on the Redis of `REDIS_URL` and `MERCANTILE_CACHE_PREFIX`. */
export const layerConfig = scoped(RedisCacheHandler.makeConfig)
