/**
 * The storefront's Next.js configuration.
 *
 * @since 0.1.0
 */
import type { NextConfig } from "next"

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
