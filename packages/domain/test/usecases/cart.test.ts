import { describe, expect, it } from "@effect/vitest"
import { CartService, CartStore, Ids, Inventory, Money } from "@mercantile/domain"
import { Harness } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { cartA, mug, seed, tee } from "./fixtures"

const provide = Effect.provide(Harness.layer(seed))

describe("CartService", () => {
  it.effect("adds a line and prices it live", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      const view = yield* carts.add(cartA, mug, 2)

      expect(view.cart.version).toBe(1)
      expect(view.cart.lines).toEqual([{ sku: mug, quantity: 2 }])
      expect(Money.toDecimal(view.priced.total)).toBe("76.46")
      expect(view.priced.lines[0]?.unitPrice).toEqual(Money.make("EUR", 3823n))
    }).pipe(provide)
  )

  it.effect("merges a second add of the same SKU into one line", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      yield* carts.add(cartA, tee, 2)
      const view = yield* carts.add(cartA, tee, 3)

      expect(view.cart.lines).toEqual([{ sku: tee, quantity: 5 }])
      expect(Money.toDecimal(view.priced.total)).toBe("50.00")
    }).pipe(provide)
  )

  it.effect("refuses quantities 0, -1, 1.5 and 10^9 and writes nothing", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      const store = yield* CartStore.CartStore
      for (const quantity of [0, -1, 1.5, 1e9]) {
        const error = yield* Effect.flip(carts.add(cartA, tee, quantity))
        expect(error._tag).toBe("CartError")
      }
      expect(Option.isNone(yield* store.get(cartA))).toBe(true)
    }).pipe(provide)
  )

  it.effect("refuses a SKU the ERP does not sell and writes nothing", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      const store = yield* CartStore.CartStore
      const error = yield* Effect.flip(carts.add(cartA, Ids.Sku.make("NOPE-1"), 1))

      expect(error._tag).toBe("UnknownSku")
      expect(Option.isNone(yield* store.get(cartA))).toBe(true)
    }).pipe(provide)
  )

  it.effect("refuses more units than the ERP has", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      const error = yield* Effect.flip(carts.add(cartA, mug, 4))

      expect(error).toMatchObject({ _tag: "OutOfStock", sku: mug, requested: 4, available: 3 })
    }).pipe(provide)
  )

  it.effect(
    "a SKU that allows backorders can be added beyond the ERP's stock, up to the limit",
    () =>
      Effect.gen(function* () {
        const carts = yield* CartService.CartService
        const inventory = yield* Inventory.Inventory
        yield* inventory.setPolicy(mug, { backorderLimit: 2 })

        const view = yield* carts.add(cartA, mug, 5)
        expect(view.cart.lines).toEqual([{ sku: mug, quantity: 5 }])
        const error = yield* Effect.flip(carts.add(cartA, mug, 1))
        expect(error).toMatchObject({ _tag: "OutOfStock", sku: mug, requested: 6, available: 5 })
      }).pipe(provide)
  )

  it.effect("lowering or removing a line is never refused for stock", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      yield* carts.add(cartA, mug, 3)
      yield* carts.add(cartA, tee, 1)
      const lowered = yield* carts.setQuantity(cartA, mug, 1)
      const removed = yield* carts.remove(cartA, tee)

      expect(lowered.cart.lines.map((l) => l.quantity)).toEqual([1, 1])
      expect(removed.cart.lines).toEqual([{ sku: mug, quantity: 1 }])
      expect(removed.cart.version).toBe(4)
    }).pipe(provide)
  )

  it.effect("two tabs adding at once lose no update", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      yield* Effect.all(
        Array.from({ length: 8 }, () => carts.add(cartA, tee, 1)),
        { concurrency: "unbounded" }
      )
      const view = yield* carts.view(cartA)

      expect(view.cart.lines).toEqual([{ sku: tee, quantity: 8 }])
      expect(view.cart.version).toBe(8)
    }).pipe(provide)
  )
})
