import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const testkit = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

describe("the plain-Node demo", () => {
  it("prices a cart and reserves stock outside any test runner", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: testkit,
      encoding: "utf8",
      timeout: 60_000
    })

    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain('message="cart priced" total=€87.70')
    expect(run.stdout).toContain('free_after_hold="MUG-1@WH-1=2 TEE-1@WH-1=0"')
  }, 70_000)
})
