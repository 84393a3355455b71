import { describe, expect, it } from "@effect/vitest"
import { Arbitraries } from "@mercantile/testkit"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as PriceEngine from "../../src/PriceEngine"
import { priced } from "./support"

const runs = { fastCheck: { numRuns: 300 } }

const sum = (amounts: ReadonlyArray<bigint>): bigint => amounts.reduce((a, b) => a + b, 0n)

/** A line's figures without its position, to compare carts whose lines were reordered. */
const figures = (line: PriceEngine.PricedLine): string =>
  [line.sku, line.quantity, line.unitPrice.minor, line.subtotal.minor]
    .concat([line.discount.minor, line.net.minor, line.tax.minor, line.total.minor])
    .join("|")

const totals = (cart: PriceEngine.PricedCart) => ({
  subtotal: cart.subtotal.minor,
  discount: cart.discount.minor,
  net: cart.net.minor,
  tax: cart.tax.minor,
  total: cart.total.minor
})

const shuffled = <A>(items: ReadonlyArray<A>, seed: number): Array<A> => {
  const copy = [...items]
  let state = seed
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

describe("price engine invariants", () => {
  it.prop(
    "grand total is the sum of line totals, and each line total is net + tax",
    { input: Arbitraries.input() },
    ({ input }) => {
      const cart = priced(input)
      for (const line of cart.lines) {
        expect(line.net.minor + line.tax.minor).toBe(line.total.minor)
        expect(line.subtotal.minor - line.discount.minor).toBe(
          line.taxInclusive ? line.total.minor : line.net.minor
        )
        expect(line.subtotal.minor).toBe(line.unitPrice.minor * BigInt(line.quantity))
      }
      expect(cart.total.minor).toBe(sum(cart.lines.map((l) => l.total.minor)))
      expect(cart.tax.minor).toBe(sum(cart.lines.map((l) => l.tax.minor)))
      expect(cart.net.minor).toBe(sum(cart.lines.map((l) => l.net.minor)))
      expect(cart.discount.minor).toBe(sum(cart.lines.map((l) => l.discount.minor)))
      expect(cart.subtotal.minor).toBe(sum(cart.lines.map((l) => l.subtotal.minor)))
    },
    runs
  )

  it.prop(
    "no figure is negative and no discount exceeds what it discounts",
    { input: Arbitraries.input({ maxPromotions: 6 }) },
    ({ input }) => {
      const cart = priced(input)
      for (const line of cart.lines) {
        for (const money of [line.subtotal, line.discount, line.net, line.tax, line.total]) {
          expect(money.minor).toBeGreaterThanOrEqual(0n)
        }
        expect(line.discount.minor).toBeLessThanOrEqual(line.subtotal.minor)
      }
      for (const e of [...cart.explanation, ...cart.lines.flatMap((l) => l.explanation)]) {
        if (e._tag === "Discount") expect(e.amount.minor).toBeLessThanOrEqual(e.base.minor)
      }
      expect(cart.total.minor).toBeGreaterThanOrEqual(0n)
      expect(cart.discount.minor).toBeLessThanOrEqual(cart.subtotal.minor)
    },
    runs
  )

  it.prop(
    "the result does not depend on the order of lines, price lists or promotions",
    { input: Arbitraries.input(), seed: fc.integer({ min: 1, max: 1_000_000 }) },
    ({ input, seed }) => {
      const lists = input.priceLists as ReadonlyArray<never>
      const cart = priced(input)
      const reordered = priced({
        ...input,
        lines: shuffled(input.lines, seed),
        priceLists: shuffled(lists, seed + 1),
        promotions: shuffled(input.promotions, seed + 2)
      })
      expect(totals(reordered)).toEqual(totals(cart))
      expect(reordered.lines.map(figures).sort()).toEqual(cart.lines.map(figures).sort())
    },
    runs
  )

  it.prop(
    "re-pricing a priced cart changes nothing, and an index prices like its lists",
    { input: Arbitraries.input() },
    ({ input }) => {
      const cart = priced(input)
      const again = priced({ ...input, lines: cart.lines })
      const indexed = priced({
        ...input,
        priceLists: PriceEngine.index(input.priceLists as never)
      })
      expect(again).toEqual(cart)
      expect(indexed).toEqual(cart)
    },
    runs
  )

  it.prop(
    "splitting lines into units changes nothing under per-total tax rounding",
    {
      input: Arbitraries.input({ taxLevel: "Total", actions: Arbitraries.cartActions })
    },
    ({ input }) => {
      const cart = priced(input)
      const units = input.lines.flatMap((line) =>
        Array.from({ length: line.quantity }, () => ({ ...line, quantity: 1 }))
      )
      const split = priced({ ...input, lines: units })
      expect(totals(split)).toEqual(totals(cart))
    },
    runs
  )

  it.prop(
    "splitting lines into units moves the total by at most one minor unit per line under per-line tax",
    {
      input: Arbitraries.input({ taxLevel: "Line", actions: Arbitraries.cartActions })
    },
    ({ input }) => {
      const cart = priced(input)
      const units = input.lines.flatMap((line) =>
        Array.from({ length: line.quantity }, () => ({ ...line, quantity: 1 }))
      )
      const split = priced({ ...input, lines: units })
      const moved = split.total.minor - cart.total.minor
      expect(split.discount.minor).toBe(cart.discount.minor)
      expect(moved < 0n ? -moved : moved).toBeLessThanOrEqual(BigInt(units.length))
    },
    runs
  )

  it.prop(
    "a tax-inclusive price list yields the gross total the shopper saw on the page",
    { input: Arbitraries.input({ taxInclusive: true, maxPromotions: 0 }) },
    ({ input }) => {
      const cart = priced(input)
      const page = sum(cart.lines.map((l) => l.unitPrice.minor * BigInt(l.quantity)))
      expect(cart.total.minor).toBe(page)
      expect(cart.net.minor + cart.tax.minor).toBe(page)
    },
    runs
  )

  it.prop(
    "every generated input prices (the arbitraries produce valid carts)",
    { input: Arbitraries.input({ maxPromotions: 6 }) },
    ({ input }) => {
      expect(Either.isRight(PriceEngine.price(input))).toBe(true)
    },
    runs
  )
})
