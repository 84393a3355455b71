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
  }
]
