/**
 * Storefront instances for the Redis cache handler tests: handlers with
 * their own mirrors on one fresh key prefix, on a clock the test moves.
 */
import * as Effect from "effect/Effect"
import { Redis } from "ioredis"
import { randomUUID } from "node:crypto"
import * as RedisCacheHandler from "../../src/redis/RedisCacheHandler"

/** The Redis every test uses (this machine's, and CI's). */
export const url = process.env.REDIS_URL ?? RedisCacheHandler.defaultUrl

/** A moment of the C13 day, in epoch milliseconds. */
export const at = (time: string): number => Date.parse(`2026-03-02T${time}Z`)

/** A clock the test sets. */
export interface TestClock {
  time: number
  readonly now: () => number
}

/** A clock standing at `time`. */
export const clockAt = (time: string): TestClock => {
  const clock: TestClock = { time: at(time), now: () => clock.time }
  return clock
}

/** Deletes every key under a prefix. */
export const wipe = (redis: Redis, prefix: string) =>
  Effect.promise(async () => {
    const found = await redis.keys(`${prefix}*`)
    if (found.length > 0) await redis.del(...found)
  })

/** A connection to the test Redis; fails (never skips) when it does not answer. */
export const admin = Effect.acquireRelease(
  Effect.tryPromise({
    try: async () => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 })
      redis.on("error", () => {})
      await redis.connect()
      await redis.ping()
      return redis
    },
    catch: (cause) =>
      new Error(`Redis does not answer at ${url} (start redis-server): ${String(cause)}`)
  }),
  (redis) => Effect.sync(() => redis.disconnect())
).pipe(Effect.orDie)

/** Two instances sharing one fresh prefix, closed and wiped at the end. */
export const instances = (clock: TestClock) =>
  Effect.gen(function* () {
    const redis = yield* admin
    const prefix = `mercantile:test:${randomUUID()}:`
    const instance = Effect.acquireRelease(
      Effect.sync(() => RedisCacheHandler.make({ redis: url, prefix, now: clock.now })),
      (handler) => Effect.promise(() => handler.close())
    )
    yield* Effect.addFinalizer(() => wipe(redis, prefix))
    const one = yield* instance
    const two = yield* instance
    return { one, two, prefix, redis }
  })

/** A rendered entry, as Next hands it to `set`. */
export const entry = (
  body: string,
  timestamp: number,
  tags: Array<string>,
  lifetime = 3600
): RedisCacheHandler.CacheEntry => ({
  value: new Blob([body]).stream(),
  tags,
  stale: 300,
  timestamp,
  expire: lifetime,
  revalidate: lifetime
})

/** What a request on this instance is served for a key: the body, or a miss. */
export const serve = (
  handler: RedisCacheHandler.CacheHandler,
  cacheKey: string,
  softTags: Array<string> = []
) =>
  Effect.promise(async () => {
    await handler.refreshTags()
    const found = await handler.get(cacheKey, softTags)
    return found === undefined ? undefined : await new Response(found.value).text()
  })

/** Stores an entry, as Next does after a render. */
export const render = (
  handler: RedisCacheHandler.CacheHandler,
  cacheKey: string,
  rendered: RedisCacheHandler.CacheEntry
) => Effect.promise(() => handler.set(cacheKey, Promise.resolve(rendered)))
