/**
 * A Next.js 16 cache handler for `"use cache"` backed by Redis, so that an
 * invalidation on one storefront instance reaches every instance.
 *
 * Entries live in Redis. Tag invalidations (`revalidateTag`, `updateTag`,
 * both arriving as `updateTags`) go to one shared manifest in Redis; each
 * instance mirrors it and catches up once per request in `refreshTags`, so a
 * read costs one round trip whatever its tags. An entry is a miss when one
 * of its tags (or the page's soft tags) expired after the entry was written,
 * and an entry written after the invalidation stays valid. When Redis is
 * down or slow every read is a miss: the page renders fresh, nothing throws,
 * and an invalidation Redis did not take is sent again once it answers.
 *
 * Wiring: Next loads the file named in `cacheHandlers` with plain Node
 * `import()`, which cannot load TypeScript, so name the `.mjs` entry beside
 * this module, in `packages/app-next/next.config.ts`:
 *
 * ```ts
 * import { fileURLToPath } from "node:url"
 * const redisCache = fileURLToPath(
 *   new URL("../adapters/src/redis/next-cache-handler.mjs", import.meta.url)
 * )
 * // in the config object:
 * ...(process.env.REDIS_URL ? { cacheHandlers: { default: redisCache, remote: redisCache } } : {})
 * ```
 *
 * Environment: `REDIS_URL` (default `redis://127.0.0.1:6379`) and
 * `MERCANTILE_CACHE_PREFIX` (default `mercantile:cache:`), the same on every
 * instance that shares the cache.
 *
 * Invalidation times come from the invalidating instance's clock and entry
 * times from the writing instance's: instances keep their clocks in sync.
 * This covers `"use cache"` data; a page prerendered whole lives in Next's
 * per-instance route cache (`cacheHandler`), which this does not share —
 * the storefront's pages call `connection()`, so none is.
 *
 * @since 0.1.0
 */
import { Redis } from "ioredis"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Scripts from "./internal/Scripts"
import * as TagManifest from "./internal/TagManifest"

/** A cache entry as Next hands it over and takes it back (Next's `CacheEntry`). */
export interface CacheEntry {
  /** The serialized value; read once. */
  readonly value: ReadableStream<Uint8Array>
  /** The entry's own tags (not the soft tags). */
  readonly tags: Array<string>
  /** Client-side staleness, in seconds. */
  readonly stale: number
  /** When the entry was created, in epoch milliseconds. */
  readonly timestamp: number
  /** Hard lifetime, in seconds. */
  readonly expire: number
  /** Seconds until a background refresh; `-1` forces one. */
  readonly revalidate: number
}

/** Next's `CacheHandler` interface for `cacheHandlers`, as of Next 16.5. */
export interface CacheHandler {
  /** The entry for a key, or `undefined` when missing, expired or invalidated. */
  readonly get: (cacheKey: string, softTags: Array<string>) => Promise<CacheEntry | undefined>
  /** Stores an entry once it is complete. */
  readonly set: (cacheKey: string, pendingEntry: Promise<CacheEntry>) => Promise<void>
  /** Catches up with the shared tag manifest; once per request. */
  readonly refreshTags: () => Promise<void>
  /** The latest expiry among the tags, `0` when none expired. */
  readonly getExpiration: (tags: Array<string>) => Promise<number>
  /** Invalidates tags for every instance. */
  readonly updateTags: (
    tags: Array<string>,
    durations?: { readonly expire?: number }
  ) => Promise<void>
}

/** The handler, plus a way to let go of its connection. */
export interface RedisCacheHandler extends CacheHandler {
  /** Closes the connection the handler opened (not one it was given). */
  readonly close: () => Promise<void>
}

/** How to build a handler. */
export interface Options {
  /** A Redis URL, or a client to share (left open by `close`). */
  readonly redis: string | Redis
  /** Prefix of every key, so that deployments and tests stay apart. */
  readonly prefix?: string
  /** The clock, in epoch milliseconds; Next's own clock by default. */
  readonly now?: () => number
  /** The longest a Redis call may take before it counts as a miss. */
  readonly timeout?: Duration.DurationInput
  /** Keep `expire: 0` entries, as `next dev` does; otherwise they are not stored. */
  readonly dev?: boolean
}

/** The default Redis URL. */
export const defaultUrl = "redis://127.0.0.1:6379"

/** The default key prefix. */
export const defaultPrefix = "mercantile:cache:"

/** Why a Redis call did not answer. */
export class RedisCacheError extends Data.TaggedError("RedisCacheError")<{
  readonly reason: "Unavailable" | "Timeout"
  readonly operation: string
  readonly cause?: unknown
}> {
  override get message(): string {
    const cause = this.cause === undefined ? "" : `: ${String(this.cause)}`
    return `Redis cache ${this.operation} failed (${this.reason})${cause}`
  }
}

const Meta = Schema.Struct({
  tags: Schema.Array(Schema.String),
  stale: Schema.Number,
  timestamp: Schema.Number,
  expire: Schema.Number,
  revalidate: Schema.Number
})

const decodeMeta = Schema.decodeUnknownOption(Schema.parseJson(Meta))

const nextClock = () => performance.timeOrigin + performance.now()

const readAll = async (stream: ReadableStream<Uint8Array>): Promise<Buffer> => {
  const chunks: Array<Uint8Array> = []
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks)
    chunks.push(value)
  }
}

const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(bytes)
      controller.close()
    }
  })

const timeOrNothing = (text: string | number | undefined): number | undefined =>
  text === undefined || text === "" ? undefined : Number(text)

/** Builds a handler on Redis. */
export const make = (options: Options): RedisCacheHandler => {
  const owned = typeof options.redis === "string"
  const redis = Scripts.define(
    typeof options.redis === "string"
      ? new Redis(options.redis, {
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          retryStrategy: (times) => Math.min(times * 200, 2_000)
        })
      : options.redis
  )
  // ioredis prints unheard connection errors; failed calls are logged below.
  if (owned) redis.on("error", () => {})

  const keys = Scripts.keys(options.prefix ?? defaultPrefix)
  const now = options.now ?? nextClock
  const timeout = Duration.decode(options.timeout ?? "500 millis")
  const dev = options.dev ?? process.env.__NEXT_DEV_SERVER !== undefined
  const manifest = TagManifest.empty()
  const pending = new Map<string, Promise<void>>()
  let synced = false
  let healthy = true

  // Once Redis failed, calls fail at once until the client reconnects.
  const call = <A>(operation: string, f: () => Promise<A>) =>
    Effect.tryPromise({
      try: () =>
        healthy || redis.status === "ready"
          ? f()
          : Promise.reject(new Error(`connection ${redis.status}`)),
      catch: (cause) => new RedisCacheError({ reason: "Unavailable", operation, cause })
    }).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new RedisCacheError({ reason: "Timeout", operation })
      }),
      Effect.tapBoth({
        onFailure: (error) =>
          healthy
            ? Effect.logWarning("Redis cache unavailable: reads miss until it answers").pipe(
                Effect.annotateLogs({ operation, reason: error.reason, detail: error.message }),
                Effect.zipRight(Effect.sync(() => (healthy = false)))
              )
            : Effect.void,
        onSuccess: () =>
          healthy
            ? Effect.void
            : Effect.logInfo("Redis cache answers again").pipe(
                Effect.zipRight(Effect.sync(() => (healthy = true)))
              )
      })
    )

  const fetchTags = Effect.gen(function* () {
    const reply = yield* call("refreshTags", () =>
      redis.mercantileRefreshTags(...keys.tags, manifest.epoch, String(manifest.seq))
    )
    const [epoch, seq, reset, ...rows] = reply
    synced = true
    // A reply overtaken by a later one would set tags back: drop it.
    if (reset !== 1 && epoch === manifest.epoch && Number(seq) < manifest.seq) return
    if (reset === 1) manifest.times.clear()
    manifest.epoch = String(epoch)
    manifest.seq = Number(seq)
    for (let i = 0; i + 2 < rows.length; i += 3) {
      const stale = timeOrNothing(rows[i + 1])
      const expired = timeOrNothing(rows[i + 2])
      manifest.times.set(String(rows[i]), {
        ...(stale === undefined ? {} : { stale }),
        ...(expired === undefined ? {} : { expired })
      })
    }
  }).pipe(Effect.tapError(() => Effect.sync(() => (synced = false))))

  const send = (tags: ReadonlyArray<string>, times: TagManifest.TagTimes) =>
    call("updateTags", () =>
      redis.mercantileUpdateTags(
        ...keys.tags,
        times.stale === undefined ? "" : String(times.stale),
        times.expired === undefined ? "" : String(times.expired),
        crypto.randomUUID(),
        ...tags
      )
    )

  // Invalidations Redis did not take, sent again before the next refresh.
  const unsent: Array<{ readonly tags: Array<string>; readonly times: TagManifest.TagTimes }> = []

  const resend = Effect.suspend(() =>
    Effect.forEach(
      [...unsent],
      (item) =>
        Effect.tap(send(item.tags, item.times), () => unsent.splice(unsent.indexOf(item), 1)),
      { discard: true }
    )
  )

  const refresh = Effect.zipRight(resend, fetchTags)

  const ensureSynced = Effect.suspend(() => (synced ? Effect.void : refresh))

  const get = (cacheKey: string, softTags: Array<string>) =>
    Effect.gen(function* () {
      const waiting = pending.get(cacheKey)
      if (waiting !== undefined) yield* Effect.promise(() => waiting)
      yield* ensureSynced

      const [metaBytes, value] = yield* call("get", () =>
        redis.hmgetBuffer(keys.entry(cacheKey), "meta", "value")
      )
      if (metaBytes == null || value == null) return undefined
      const meta = decodeMeta(metaBytes.toString("utf8"))
      if (Option.isNone(meta)) return undefined
      const entry = meta.value

      const at = now()
      const tags = [...entry.tags, ...softTags]
      if (entry.expire < 0 || at > entry.timestamp + entry.expire * 1000) return undefined
      if (TagManifest.isExpired(manifest, tags, entry.timestamp, at)) return undefined
      const stale = TagManifest.isStale(manifest, tags, entry.timestamp)
      return {
        ...entry,
        tags: [...entry.tags],
        revalidate: stale ? -1 : entry.revalidate,
        value: streamOf(value)
      } satisfies CacheEntry
    }).pipe(
      Effect.catchAll(() => Effect.succeed(undefined)),
      Effect.annotateLogs({ cache_key: cacheKey }),
      Effect.withSpan("RedisCacheHandler.get")
    )

  const store = (cacheKey: string, entry: CacheEntry) =>
    Effect.gen(function* () {
      if (!dev && entry.expire === 0) return
      const value = yield* Effect.tryPromise(() => readAll(entry.value))
      const { value: _, ...meta } = entry
      const ttl = Math.max(1, Math.ceil(entry.timestamp + entry.expire * 1000 - now()))
      yield* call("set", async () => {
        const replies = await redis
          .multi()
          .hset(keys.entry(cacheKey), { meta: JSON.stringify(meta), value })
          .pexpire(keys.entry(cacheKey), ttl)
          .exec()
        const failed = replies?.find(([error]) => error !== null)?.[0]
        if (failed) throw failed
      })
    }).pipe(
      Effect.catchAll(() => Effect.void),
      Effect.annotateLogs({ cache_key: cacheKey }),
      Effect.withSpan("RedisCacheHandler.set")
    )

  const set = async (cacheKey: string, pendingEntry: Promise<CacheEntry>) => {
    let done = () => {}
    pending.set(cacheKey, new Promise<void>((resolve) => (done = resolve)))
    try {
      const entry = await pendingEntry
      await Effect.runPromise(store(cacheKey, entry))
    } catch {
      // A failed render leaves nothing to store; the next read renders again.
    } finally {
      done()
      pending.delete(cacheKey)
    }
  }

  const updateTags = (tags: Array<string>, durations?: { readonly expire?: number }) =>
    Effect.gen(function* () {
      if (tags.length === 0) return
      const times = TagManifest.invalidation(now(), durations)
      for (const tag of tags) manifest.times.set(tag, { ...manifest.times.get(tag), ...times })
      yield* send(tags, times).pipe(
        Effect.tapError(() =>
          Effect.logError("cache tags not shared yet: sent again once Redis answers").pipe(
            Effect.annotateLogs({ tags: tags.join(" ") }),
            Effect.zipRight(Effect.sync(() => unsent.push({ tags: [...tags], times })))
          )
        )
      )
      yield* refresh
    }).pipe(Effect.ignore, Effect.withSpan("RedisCacheHandler.updateTags"))

  return {
    get: (cacheKey, softTags) => Effect.runPromise(get(cacheKey, softTags)),
    set,
    refreshTags: () => Effect.runPromise(Effect.ignore(refresh)),
    getExpiration: (tags) =>
      Effect.runPromise(
        ensureSynced.pipe(
          Effect.map(() => TagManifest.expiration(manifest, tags, now())),
          Effect.orElseSucceed(() => 0)
        )
      ),
    updateTags: (tags, durations) => Effect.runPromise(updateTags(tags, durations)),
    close: async () => {
      if (owned) redis.disconnect()
    }
  }
}

/** `REDIS_URL` and `MERCANTILE_CACHE_PREFIX`, with their defaults. */
export const config: Config.Config<{
  readonly url: Redacted.Redacted<string>
  readonly prefix: string
}> = Config.all({
  url: Config.redacted("REDIS_URL").pipe(Config.withDefault(Redacted.make(defaultUrl))),
  prefix: Config.string("MERCANTILE_CACHE_PREFIX").pipe(Config.withDefault(defaultPrefix))
})

/** Builds a handler from {@link config}. */
export const makeConfig: Effect.Effect<RedisCacheHandler, ConfigError.ConfigError> = Effect.map(
  config,
  ({ url, prefix }) => make({ redis: Redacted.value(url), prefix })
)

/** Builds a handler from the environment; what the `.mjs` entry exports. */
export const fromEnv = (): RedisCacheHandler => Effect.runSync(makeConfig)
