import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { randomUUID } from "node:crypto"
import { fileURLToPath } from "node:url"
import { admin, url, wipe } from "./harness"

const entryFile = fileURLToPath(new URL("../../src/redis/next-cache-handler.mjs", import.meta.url))

// What Next does with `cacheHandlers.default`: a plain Node `import()`.
const script = `
const handler = (await import(${JSON.stringify(entryFile)})).default
const methods = ["get", "set", "refreshTags", "getExpiration", "updateTags"]
  .filter((name) => typeof handler[name] === "function")
const value = new Blob(["P 100.00"]).stream()
const timestamp = performance.timeOrigin + performance.now()
const entry = { value, tags: ["price:P"], stale: 300, timestamp, expire: 3600, revalidate: 3600 }
await handler.refreshTags()
await handler.set("product:P", Promise.resolve(entry))
const hit = await handler.get("product:P", [])
const body = hit === undefined ? null : await new Response(hit.value).text()
await handler.updateTags(["price:P"])
const after = await handler.get("product:P", [])
await handler.close()
process.stdout.write(JSON.stringify({ methods, body, after: after === undefined ? null : "hit" }))
`

describe("next-cache-handler.mjs", () => {
  it.scopedLive(
    "plain Node imports it and gets a working handler from the environment",
    () =>
      Effect.gen(function* () {
        const redis = yield* admin
        const prefix = `mercantile:test:${randomUUID()}:`
        yield* Effect.addFinalizer(() => wipe(redis, prefix))

        const output = yield* Effect.async<string, Error>((resume) => {
          execFile(
            process.execPath,
            ["--input-type=module", "-e", script],
            { env: { ...process.env, REDIS_URL: url, MERCANTILE_CACHE_PREFIX: prefix } },
            (error, stdout, stderr) =>
              resume(
                error
                  ? Effect.fail(new Error(`${error.message}\n${stderr}`))
                  : Effect.succeed(stdout)
              )
          )
        })

        expect(JSON.parse(output)).toEqual({
          methods: ["get", "set", "refreshTags", "getExpiration", "updateTags"],
          body: "P 100.00",
          after: null
        })
        expect(yield* Effect.promise(() => redis.exists(`${prefix}entry:product:P`))).toBe(1)
      }),
    // Loading Effect through tsx in a fresh process takes seconds on a busy machine.
    60_000
  )
})
