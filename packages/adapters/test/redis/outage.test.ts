import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import * as net from "node:net"
import * as RedisCacheHandler from "../../src/redis/RedisCacheHandler"
import { admin, at, clockAt, entry, render, serve, url, wipe } from "./harness"

const P = "product:P"
const price = "price:P"

/** A TCP proxy to the test Redis that the test can cut and restore. */
const proxy = Effect.acquireRelease(
  Effect.promise(async () => {
    const target = new URL(url)
    const sockets = new Set<net.Socket>()
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
        socket.on("error", () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    const listen = (port: number) =>
      new Promise<number>((resolve) =>
        server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port))
      )
    const port = await listen(0)
    return {
      url: `redis://127.0.0.1:${port}`,
      cut: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve())
          for (const socket of sockets) socket.destroy()
        }),
      restore: () => listen(port).then(() => undefined),
      close: () => {
        for (const socket of sockets) socket.destroy()
        server.close()
      }
    }
  }),
  (proxy) => Effect.sync(() => proxy.close())
)

const within = <A>(ms: number, promise: Promise<A>) =>
  Effect.promise(async () => {
    const started = Date.now()
    const value = await promise
    return { value, ms: Date.now() - started, fast: Date.now() - started < ms }
  })

describe("a Redis outage is a miss, never a crash", () => {
  it.scopedLive("an unreachable Redis: every call resolves, reads miss", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const handler = yield* Effect.acquireRelease(
        Effect.sync(() =>
          RedisCacheHandler.make({ redis: "redis://127.0.0.1:1", now: clock.now, timeout: 300 })
        ),
        (handler) => Effect.promise(() => handler.close())
      )

      yield* Effect.promise(() => handler.refreshTags())
      const read = yield* within(1_000, handler.get(P, []))
      expect(read.value).toBeUndefined()
      expect(read.fast).toBe(true)
      yield* render(handler, P, entry("P 100.00", clock.time, [price]))
      expect(yield* serve(handler, P)).toBeUndefined()
      expect(yield* Effect.promise(() => handler.getExpiration([price]))).toBe(0)
      yield* Effect.promise(() => handler.updateTags([price]))
    })
  )

  it.scopedLive("Redis lost mid-flight: misses, then the kept invalidation is shared", () =>
    Effect.gen(function* () {
      const clock = clockAt("10:00:00")
      const redis = yield* admin
      const link = yield* proxy
      const prefix = `mercantile:test:${randomUUID()}:`
      yield* Effect.addFinalizer(() => wipe(redis, prefix))
      const handler = (through: string) =>
        Effect.acquireRelease(
          Effect.sync(() => RedisCacheHandler.make({ redis: through, prefix, now: clock.now })),
          (handler) => Effect.promise(() => handler.close())
        )
      const one = yield* handler(link.url)
      const two = yield* handler(url)

      yield* render(one, P, entry("P 100.00", clock.time, [price]))
      expect(yield* serve(one, P)).toBe("P 100.00")

      // Instance 1 loses Redis: it misses, and the price event cannot be shared.
      yield* Effect.promise(() => link.cut())
      clock.time = at("10:05:00")
      const read = yield* within(1_000, one.get(P, []))
      expect(read.value).toBeUndefined()
      yield* Effect.promise(() => one.updateTags([price]))
      expect(yield* serve(one, P)).toBeUndefined()
      clock.time = at("10:05:01")
      expect(yield* serve(two, P)).toBe("P 100.00")

      // Redis is back: instance 1 sends the kept invalidation on its next request.
      yield* Effect.promise(() => link.restore())
      const deadline = Date.now() + 10_000
      while ((yield* serve(two, P)) !== undefined && Date.now() < deadline) {
        yield* Effect.promise(() => one.refreshTags())
        yield* Effect.sleep("100 millis")
      }
      expect(yield* serve(two, P)).toBeUndefined()
    })
  )
})
