import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as RedisCacheHandler from "../../src/redis/RedisCacheHandler"
import { at, clockAt, entry, instances, render, serve, wipe } from "./harness"

const P = "product:P"
const price = "price:P"

describe("C13 invalidation reaches every instance", () => {
  const cases = [
    ["updateTag", undefined],
    ["revalidateTag with expire 0", { expire: 0 }]
  ] as const

  for (const [name, durations] of cases) {
    it.scopedLive(`through ${name}`, () =>
      Effect.gen(function* () {
        const clock = clockAt("10:00:00")
        const { one, two } = yield* instances(clock)

        // 10:00:00: both instances serve P at 100.00 for an hour.
        yield* render(one, P, entry("P 100.00", clock.time, [price]))
        expect(yield* serve(one, P)).toBe("P 100.00")
        expect(yield* serve(two, P)).toBe("P 100.00")

        // 10:05:00: the ERP's price event reaches instance 1 only.
        clock.time = at("10:05:00")
        yield* Effect.promise(() => one.updateTags([price], durations))

        // 10:05:01: instance 2 misses, renders again and serves 90.00.
        clock.time = at("10:05:01")
        expect(yield* serve(two, P)).toBeUndefined()
        yield* render(two, P, entry("P 90.00", clock.time, [price]))
        expect(yield* serve(two, P)).toBe("P 90.00")

        // The entry written after the invalidation stays valid everywhere.
        expect(yield* serve(one, P)).toBe("P 90.00")
        clock.time = at("10:45:00")
        expect(yield* serve(one, P)).toBe("P 90.00")
        expect(yield* serve(two, P)).toBe("P 90.00")
      })
    )
  }

  it.scopedLive("tags of other products are untouched", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one, two } = yield* instances(clock)

      yield* render(one, P, entry("P 100.00", clock.time, [price, "product:P"]))
      yield* render(one, "product:Q", entry("Q 40.00", clock.time, ["price:Q", "product:Q"]))
      yield* render(one, "listing", entry("P Q", clock.time, ["product:P", "product:Q"]))

      clock.time = at("10:05:00")
      yield* Effect.promise(() => one.updateTags([price]))
      clock.time = at("10:05:01")

      for (const instance of [one, two]) {
        expect(yield* serve(instance, P)).toBeUndefined()
        expect(yield* serve(instance, "product:Q")).toBe("Q 40.00")
        expect(yield* serve(instance, "listing")).toBe("P Q")
      }
    })
  )
})

describe("RedisCacheHandler", () => {
  it.scopedLive("expiry is honoured, and Redis forgets the entry too", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one, two, prefix, redis } = yield* instances(clock)

      yield* render(one, P, entry("P 100.00", clock.time, [price]))
      const ttl = yield* Effect.promise(() => redis.pttl(`${prefix}entry:${P}`))
      expect(ttl).toBeGreaterThan(3_590_000)
      expect(ttl).toBeLessThanOrEqual(3_600_000)

      clock.time = at("10:59:59")
      expect(yield* serve(two, P)).toBe("P 100.00")
      clock.time = at("11:00:01")
      expect(yield* serve(two, P)).toBeUndefined()
      expect(yield* serve(one, P)).toBeUndefined()
    })
  )

  it.scopedLive("a tag marked stale serves the entry once more, then it expires", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one, two } = yield* instances(clock)
      yield* render(one, P, entry("P 100.00", clock.time, [price]))

      // revalidateTag(tag, "max"): stale now, expired after the profile's expire.
      clock.time = at("10:05:00")
      yield* Effect.promise(() => one.updateTags([price], { expire: 600 }))

      clock.time = at("10:05:01")
      yield* Effect.promise(() => two.refreshTags())
      const stale = yield* Effect.promise(() => two.get(P, []))
      expect(stale?.revalidate).toBe(-1)

      clock.time = at("10:15:01")
      expect(yield* serve(two, P)).toBeUndefined()
    })
  )

  it.scopedLive("soft tags invalidated elsewhere expire the entry", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one, two } = yield* instances(clock)
      const soft = ["_N_T_/layout", "_N_T_/products/P"]
      yield* render(one, P, entry("P 100.00", clock.time, [price]))

      clock.time = at("10:05:00")
      yield* Effect.promise(() => one.updateTags(["_N_T_/products/P"]))

      clock.time = at("10:05:01")
      yield* Effect.promise(() => two.refreshTags())
      expect(yield* Effect.promise(() => two.getExpiration(soft))).toBe(at("10:05:00"))
      expect(yield* Effect.promise(() => two.getExpiration(["_N_T_/cart"]))).toBe(0)
      expect(yield* serve(two, P, soft)).toBeUndefined()
      expect(yield* serve(two, P, ["_N_T_/cart"])).toBe("P 100.00")
    })
  )

  it.scopedLive("a read waits for a pending write and gets a fresh stream each time", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one } = yield* instances(clock)

      let finish = (_: RedisCacheHandler.CacheEntry) => {}
      const pending = new Promise<RedisCacheHandler.CacheEntry>((resolve) => (finish = resolve))
      const writing = one.set(P, pending)
      const reading = serve(one, P).pipe(Effect.runPromise)
      finish(entry("P 100.00", clock.time, [price]))
      yield* Effect.promise(() => writing)

      expect(yield* Effect.promise(() => reading)).toBe("P 100.00")
      expect(yield* serve(one, P)).toBe("P 100.00")
    })
  )

  it.scopedLive("an entry with expire 0 is not stored", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one } = yield* instances(clock)
      yield* render(one, P, entry("P 100.00", clock.time, [price], 0))
      expect(yield* serve(one, P)).toBeUndefined()
    })
  )

  it.scopedLive("a wiped manifest is read again from the start", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one, two, prefix, redis } = yield* instances(clock)

      // Instance 2 has read three invalidations.
      for (const tag of ["a", "b", "c"]) yield* Effect.promise(() => one.updateTags([tag]))
      yield* Effect.promise(() => two.refreshTags())

      // Redis is emptied; the steps start again and pass three before 2 looks.
      yield* wipe(redis, prefix)
      clock.time = at("10:01:00")
      yield* render(one, P, entry("P 100.00", clock.time, [price]))
      clock.time = at("10:05:00")
      for (const tags of [[price], ["d"], ["e"], ["f"]]) {
        yield* Effect.promise(() => one.updateTags(tags))
      }

      clock.time = at("10:05:01")
      expect(yield* serve(two, P)).toBeUndefined()
    })
  )
})
