import { describe, expect, it } from "@effect/vitest"
import { CacheInvalidation } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as RedisCacheInvalidation from "../../src/redis/RedisCacheInvalidation"
import { at, clockAt, entry, instances, render, serve, url } from "./harness"

describe("RedisCacheInvalidation", () => {
  it.scopedLive("an event consumer's invalidation reaches every instance", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const { one, two, prefix } = yield* instances(clock)
      yield* render(one, "product:P", entry("P 100.00", clock.time, ["price:P"]))
      yield* render(one, "product:Q", entry("Q 40.00", clock.time, ["price:Q"]))

      // 10:05:00: a worker outside Next applies the ERP's price event.
      clock.time = at("10:05:00")
      const port = Layer.build(RedisCacheInvalidation.layer({ redis: url, prefix, now: clock.now }))
      const context = yield* port
      yield* CacheInvalidation.CacheInvalidation.pipe(
        Effect.flatMap((cache) => cache.invalidate(["price:P", "price:P"])),
        Effect.provide(context)
      )

      clock.time = at("10:05:01")
      for (const instance of [one, two]) {
        expect(yield* serve(instance, "product:P")).toBeUndefined()
        expect(yield* serve(instance, "product:Q")).toBe("Q 40.00")
      }
    })
  )

  it("tags are written as Next stores them", () => {
    expect(RedisCacheInvalidation.nextTag("price:SKU-1")).toBe("price:SKU-1")
    expect(RedisCacheInvalidation.nextTag("content:crème-brûlée")).toBe(
      "content:cr%C3%A8me-br%C3%BBl%C3%A9e"
    )
  })
})
