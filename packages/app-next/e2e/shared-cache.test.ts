/**
 * One cache across instances (field case C13): two `next start` on one
 * build share the Redis cache handler (`REDIS_URL`, one
 * `MERCANTILE_CACHE_PREFIX`). A stock notification received by instance 1
 * changes what instance 2 serves on its next read; another SKU stays cached,
 * and an entry written after the invalidation stays valid.
 *
 * Needs Redis at 127.0.0.1:6379 (`MERCANTILE_E2E_REDIS_URL` to point
 * elsewhere); the suite fails without it.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Scope from "effect/Scope"
import { randomUUID } from "node:crypto"
import { createConnection } from "node:net"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import * as Stack from "../../../scripts/stack"
import { control, productPath, testIdAttribute } from "./support"

const redisUrl = process.env["MERCANTILE_E2E_REDIS_URL"] ?? "redis://127.0.0.1:6379"

/** Fails with a clear message when nothing listens at the Redis URL. */
const reachable = (url: string) =>
  new Promise<void>((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const socket = createConnection({ host: hostname, port: Number(port || 6379) })
    socket.setTimeout(2_000)
    socket.once("connect", () => {
      socket.end()
      resolve()
    })
    const fail = (why: string) => {
      socket.destroy()
      reject(new Error(`Redis is not reachable at ${url} (${why}); this suite needs it`))
    }
    socket.once("timeout", () => fail("timeout"))
    socket.once("error", (error) => fail(error.message))
  })

const scope = Effect.runSync(Scope.make())
let running: Stack.Running

const stockAt = async (base: string, sku: string): Promise<number> => {
  const html = await (await fetch(`${base}${productPath(sku)}`)).text()
  return Number(testIdAttribute(html, "product-stock", "data-available"))
}

beforeAll(async () => {
  await reachable(redisUrl)
  running = await Effect.runPromise(
    Stack.run({
      port: 0,
      catalogDir: inject("sharedCatalog") ? Stack.sharedCatalog : Stack.ownCatalog,
      // The global setup built the storefront; the journey's stacks still run on it.
      build: "never",
      control: true,
      quiet: true,
      replicas: 1,
      env: {
        MERCANTILE_ERP: "netsuite",
        REDIS_URL: redisUrl,
        MERCANTILE_CACHE_PREFIX: `mercantile:e2e:${randomUUID()}:`
      }
    }).pipe(Logger.withMinimumLogLevel(LogLevel.Warning), Scope.extend(scope))
  )
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("the cache shared through Redis", () => {
  it("serves on instance 2 what a webhook received by instance 1 changed", async () => {
    const [one, two] = [running.storefrontUrl, running.replicaUrls[0] ?? ""]
    const [sku, other] = [running.items[0]!.sku, running.items[1]!.sku]
    const before = await stockAt(one, sku)
    const otherBefore = await stockAt(one, other)
    // Instance 2 reads the entries instance 1 wrote.
    expect(await stockAt(two, sku)).toBe(before)
    expect(await stockAt(two, other)).toBe(otherBefore)

    // The ERP moves; without a notification both instances keep the cached figures.
    await control(running.controlUrl, "POST", "/netsuite/stock", { sku, available: before + 11 })
    await control(running.controlUrl, "POST", "/netsuite/stock", {
      sku: other,
      available: otherBefore + 7
    })
    expect(await stockAt(two, sku)).toBe(before)
    expect(await stockAt(one, sku)).toBe(before)

    const notification = await control<{ headers: Record<string, string>; body: string }>(
      running.controlUrl,
      "POST",
      "/netsuite/notification",
      { type: "inventory.changed", data: { sku, location: "1", available: before + 11 } }
    )
    const answer = await fetch(`${one}/api/webhooks/netsuite`, {
      method: "POST",
      headers: notification.headers,
      body: notification.body
    })
    expect(answer.status).toBe(200)

    expect(await stockAt(two, sku)).toBe(before + 11)
    expect(await stockAt(one, sku)).toBe(before + 11)
    // Only that SKU's tag was invalidated.
    expect(await stockAt(two, other)).toBe(otherBefore)

    // The entry written after the invalidation is served again, not recomputed on every read.
    await control(running.controlUrl, "POST", "/netsuite/stock", { sku, available: before + 20 })
    expect(await stockAt(two, sku)).toBe(before + 11)
    expect(await stockAt(one, sku)).toBe(before + 11)
  })
})
