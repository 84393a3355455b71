// Runs the pinned pnpm with the given arguments, installing the locked
// dependencies first when they are missing or older than the lockfile.
// Needs only Node and npm: pnpm itself is fetched through npx at the version
// named in package.json's "packageManager".
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
const pnpm = manifest.packageManager
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", COREPACK_ENABLE_STRICT: "0" }

const run = (args) => {
  const result = spawnSync("npx", ["--yes", pnpm, ...args], { cwd: root, stdio: "inherit", env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const lock = join(root, "pnpm-lock.yaml")
const stamp = join(root, "node_modules", ".pnpm", "lock.yaml")
const stale = !existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs
if (stale) run(["install", "--frozen-lockfile", "--reporter=append-only"])

run(process.argv.slice(2))
