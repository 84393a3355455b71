import { describe, expect, it } from "@effect/vitest"
import { Quantity } from "@mercantile/domain"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

const decode = Schema.decodeUnknownEither(Quantity.QuantityFromString)

describe("QuantityFromString", () => {
  it("reads plain digits from 1 to 999", () => {
    expect(decode("2")).toEqual(Either.right(2))
    expect(decode("999")).toEqual(Either.right(999))
  })

  it("refuses anything but plain digits, and numbers out of range", () => {
    for (const input of [
      "0x10",
      " 2",
      "2 ",
      "1e2",
      "2.0",
      "-1",
      "0",
      "1000",
      "",
      "two",
      "1000000000"
    ]) {
      expect(Either.isLeft(decode(input)), input).toBe(true)
    }
  })
})
