import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ActionInput from "../src/ActionInput"

const form = (fields: ReadonlyArray<readonly [string, string]>): FormData => {
  const data = new FormData()
  for (const [name, value] of fields) data.append(name, value)
  return data
}

const line = (fields: ReadonlyArray<readonly [string, string]>) =>
  ActionInput.decode(ActionInput.LineInput)(form(fields))

describe("ActionInput", () => {
  it.effect("decodes a SKU and a quantity", () =>
    Effect.gen(function* () {
      const input = yield* line([
        ["sku", "1111111111"],
        ["quantity", "2"]
      ])
      expect(input).toEqual({ sku: "1111111111", quantity: 2 })
    })
  )

  it.effect("ignores the fields React adds to a form posted without JavaScript", () =>
    Effect.gen(function* () {
      const input = yield* line([
        ["$ACTION_REF_1", ""],
        ["$ACTION_KEY", "k1"],
        ["sku", "A-1"],
        ["quantity", "1"]
      ])
      expect(input.quantity).toBe(1)
    })
  )

  it.effect.each(["0", "-1", "1000000000", "1.5", "two", ""])("refuses quantity %j", (quantity) =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        line([
          ["sku", "A-1"],
          ["quantity", quantity]
        ])
      )
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toMatch(/^quantity: /)
    })
  )

  it.effect("refuses a smuggled price, naming the field", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        line([
          ["sku", "A-1"],
          ["quantity", "1"],
          ["price", "0.01"]
        ])
      )
      expect(error.message).toBe("price: this field is not accepted")
    })
  )

  it.effect("refuses a malformed SKU and a repeated field", () =>
    Effect.gen(function* () {
      const bad = yield* Effect.flip(
        line([
          ["sku", "no spaces"],
          ["quantity", "1"]
        ])
      )
      expect(bad.message).toMatch(/^sku: A stock keeping unit/)
      const twice = yield* Effect.flip(
        line([
          ["sku", "A-1"],
          ["sku", "B-2"],
          ["quantity", "1"]
        ])
      )
      expect(twice.message).toBe("sku: given more than once")
    })
  )

  it.effect("refuses a file", () =>
    Effect.gen(function* () {
      const data = form([["quantity", "1"]])
      data.append("sku", new Blob(["A-1"]), "sku.txt")
      const error = yield* Effect.flip(ActionInput.decode(ActionInput.LineInput)(data))
      expect(error.message).toBe("sku: files are not accepted")
    })
  )

  it.effect("takes a confirmed total as a decimal amount only", () =>
    Effect.gen(function* () {
      const ok = yield* ActionInput.decode(ActionInput.CheckoutInput)(
        form([["confirmedTotal", "1998.00"]])
      )
      expect(ok.confirmedTotal).toBe("1998.00")
      const bad = yield* Effect.flip(
        ActionInput.decode(ActionInput.CheckoutInput)(form([["confirmedTotal", "-1"]]))
      )
      expect(bad.message).toBe("confirmedTotal: The confirmed total is a decimal amount")
    })
  )
})
