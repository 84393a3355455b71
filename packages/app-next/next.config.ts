/**
 * The storefront's Next.js configuration.
 *
 * With `REDIS_URL` set, `"use cache"` entries and tag invalidations live in
 * Redis (the adapters' `RedisCacheHandler`, keys under
 * `MERCANTILE_CACHE_PREFIX`), so a webhook one instance receives changes
 * what every instance sharing the prefix serves. Without it, each instance
 * keeps Next's own in-memory cache.
 *
 * @since 0.1.0
 */
import type { NextConfig } from "next"
import { fileURLToPath } from "node:url"

/** The plain-Node entry of the Redis cache handler (Next imports it without bundling). */
const redisCache = fileURLToPath(
  new URL("../adapters/src/redis/next-cache-handler.mjs", import.meta.url)
)

const redisUrl = process.env["REDIS_URL"]

const config: NextConfig = {
  /** Our workspace packages ship TypeScript sources with extensionless imports. */
  transpilePackages: ["@mercantile/domain", "@mercantile/adapters", "@mercantile/testkit"],
  /** Loaded by Node at run time rather than bundled: drivers, servers and data files. */
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "csv-parse",
    "hono",
    "@hono/node-server",
    "msw"
  ],
  cacheComponents: true,
  ...(redisUrl === undefined || redisUrl === ""
    ? {}
    : { cacheHandlers: { default: redisCache, remote: redisCache } }),
  partialPrefetching: true,
  /**
   * `npm test` typechecks every file of this package with the repository's
   * strict settings (the root `tsc -b`, and `tsc -p packages/app-next` in
   * `test:e2e`), so the build does not repeat it.
   */
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false
}

export default config
