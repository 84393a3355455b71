import { afterEach, describe, expect, it } from "@effect/vitest"
import * as path from "node:path"
import * as SharedData from "../../src/SharedData"

describe("SharedData", () => {
  const ci = process.env["CI"]
  afterEach(() => {
    if (ci === undefined) delete process.env["CI"]
    else process.env["CI"] = ci
  })

  it("finds ../shared beside the repository", () => {
    expect(SharedData.sharedDir()).toBe(path.resolve(SharedData.repoRoot, "../shared"))
    expect(path.basename(SharedData.repoRoot)).not.toBe("packages")
  })

  it("fails under CI when shared data is missing", () => {
    process.env["CI"] = "true"
    expect(() => SharedData.requireShared("no-such-folder")).toThrow(/missing/)
  })

  it("lets a local run leave the suite out when shared data is missing", () => {
    delete process.env["CI"]
    expect(SharedData.requireShared("no-such-folder")).toBeUndefined()
  })
})
