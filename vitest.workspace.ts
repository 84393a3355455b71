/**
 * The test projects, one per package. `vitest.config.ts` runs them all in
 * one run; this list is kept here so that each package's settings sit
 * side by side.
 */
import type { TestProjectConfiguration } from "vitest/config"

export const projects: Array<TestProjectConfiguration> = [
  {
    extends: true,
    test: { name: "domain", root: "packages/domain", include: ["test/**/*.test.ts"] }
  },
  {
    extends: true,
    test: { name: "testkit", root: "packages/testkit", include: ["test/**/*.test.ts"] }
  },
  {
    extends: true,
    test: {
      name: "adapters",
      root: "packages/adapters",
      include: ["test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000
    }
  },
  {
    extends: true,
    test: { name: "app-next", root: "packages/app-next", include: ["test/**/*.test.ts"] }
  },
  {
    extends: true,
    test: {
      // The storefront in a real browser against the whole stack; its global setup builds the
      // app when stale and starts the stack as `npm start` does. `npm run test:unit` leaves it out.
      name: "e2e",
      root: "packages/app-next",
      include: ["e2e/**/*.test.ts"],
      globalSetup: ["e2e/setup.ts"],
      // One file at a time: the journeys share one stack and one browser.
      pool: "forks",
      poolOptions: { forks: { singleFork: true } },
      testTimeout: 120_000,
      hookTimeout: 120_000
    }
  }
]
