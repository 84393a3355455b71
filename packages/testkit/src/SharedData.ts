/**
 * Where tests find the data that stays outside the repository: the shared
 * folder beside the checkout (`<repo>/../shared`), holding the Akeneo demo
 * catalog and the vendor fixtures.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository's root folder. */
export const repoRoot: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../.."
)

/** The shared data folder beside the repository. */
export const sharedDir = (): string => path.resolve(repoRoot, "../shared")

/** A path inside the shared folder. */
export const sharedPath = (...segments: ReadonlyArray<string>): string =>
  path.join(sharedDir(), ...segments)

/** Whether the run is a CI run (`CI=true` or `CI=1`). */
export const isCi = (): boolean => {
  const ci = process.env["CI"]
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0"
}

/**
 * A path inside the shared folder when it exists. When it is missing, a CI
 * run throws (the suite must fail there); elsewhere it answers `undefined`
 * and the suite may be left out with `describe.runIf`.
 */
export const requireShared = (...segments: ReadonlyArray<string>): string | undefined => {
  const where = sharedPath(...segments)
  if (existsSync(where)) return where
  if (isCi()) {
    throw new Error(`Shared test data is missing at ${where}; CI needs ../shared beside the repo`)
  }
  return undefined
}
