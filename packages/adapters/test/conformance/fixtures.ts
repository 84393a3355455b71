/**
 * What every conformance suite does with a vendor's folder of shared
 * fixtures: read a file as JSON without the curators' `_comment` keys, and
 * check that each file in the folder has a check and passes it.
 */
import { expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { readdirSync, readFileSync } from "node:fs"
import * as path from "node:path"

/** What a fixture must satisfy; it throws, or fails its effect, when it does not. */
export type Check = (content: Record<string, unknown>) => void | Effect.Effect<void, unknown>

/** `value` without `_comment` keys, at any depth. */
export const withoutComments = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutComments)
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "_comment")
      .map(([key, inner]) => [key, withoutComments(inner)])
  )
}

const decodeObject = Schema.decodeUnknownSync(
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/** The JSON files of `dir`, sorted; none when the folder is absent. */
export const files = (dir: string | undefined): Array<string> =>
  dir === undefined
    ? []
    : readdirSync(dir)
        .filter((file) => file.endsWith(".json"))
        .sort()

/** The fixture `file` of `dir`: a JSON object, without `_comment` keys. */
export const read = (dir: string | undefined, file: string): Record<string, unknown> =>
  decodeObject(withoutComments(JSON.parse(readFileSync(path.join(dir ?? "", file), "utf8"))))

/** A check that the fixture decodes with `schema`. */
export const decodes =
  <A, I>(schema: Schema.Schema<A, I>): Check =>
  (content) => {
    Schema.decodeUnknownSync(schema)(content)
  }

/** Tests that the files of `dir` are exactly those `checks` names, and that each passes its check. */
export const conform = (dir: string | undefined, checks: Readonly<Record<string, Check>>) => {
  const found = files(dir)

  it("has a check for every fixture file", () => {
    expect(found.length).toBeGreaterThan(0)
    expect(found).toEqual(Object.keys(checks).sort())
  })

  for (const file of found) {
    it.live(file, () =>
      Effect.suspend(() => {
        const check = checks[file]
        if (check === undefined) throw new Error(`no check is named for fixture ${file}`)
        const result = check(read(dir, file))
        return Effect.isEffect(result) ? result : Effect.void
      })
    )
  }
}
