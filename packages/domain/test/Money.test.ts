import { describe, expect, it } from "@effect/vitest"
import { Arbitraries } from "@mercantile/testkit"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as Currency from "../src/Currency"
import * as Money from "../src/Money"
import * as Rounding from "../src/Rounding"

const decode = (currency: Currency.CurrencyCode, input: string): Money.Money =>
  Either.getOrThrow(Money.fromDecimal(currency, input))

describe("Money", () => {
  it("reads and writes 0, 2 and 3 decimal currencies", () => {
    expect(decode("KWD", "18.600").minor).toBe(18600n)
    expect(Money.toDecimal(Money.make("KWD", 18600n))).toBe("18.600")
    expect(decode("BHD", "35.200").minor).toBe(35200n)
    expect(decode("JPY", "2550").minor).toBe(2550n)
    expect(Money.toDecimal(Money.make("JPY", 2550n))).toBe("2550")
    expect(decode("EUR", "0.05").minor).toBe(5n)
    expect(Money.toDecimal(Money.make("EUR", -5n))).toBe("-0.05")
  })

  it("refuses what it cannot read exactly", () => {
    expect(Either.isLeft(Money.fromDecimal("KWD", "0.7035"))).toBe(true)
    expect(Either.isLeft(Money.fromDecimal("JPY", "10.5"))).toBe(true)
    expect(Either.isLeft(Money.fromDecimal("EUR", "12,50"))).toBe(true)
    expect(Either.isLeft(Money.fromDecimal("EUR", "abc"))).toBe(true)
  })

  it.prop(
    "fromDecimal and toDecimal round-trip in every currency",
    { money: Arbitraries.anyMoney },
    ({ money }) => {
      expect(decode(money.currency, Money.toDecimal(money))).toEqual(money)
      const places = Currency.minorUnit(money.currency)
      const fraction = Money.toDecimal(money).split(".")[1] ?? ""
      expect(fraction.length).toBe(places)
    }
  )

  it("names every rounding mode and rounds ties as named", () => {
    const at = (n: bigint, d: bigint) => Rounding.modes.map((m) => Rounding.divide(n, d, m))
    // HalfEven, HalfUp, HalfDown, Up, Down
    expect(at(5n, 2n)).toEqual([2n, 3n, 2n, 3n, 2n])
    expect(at(7n, 2n)).toEqual([4n, 4n, 3n, 4n, 3n])
    expect(at(-5n, 2n)).toEqual([-2n, -3n, -2n, -3n, -2n])
    expect(at(7035n, 10n)).toEqual([704n, 704n, 703n, 704n, 703n])
  })

  it("allocates by largest remainder, ties to the earliest part", () => {
    const parts = Money.allocate(Money.make("EUR", 100n), [1n, 1n, 1n])
    expect(parts.map((p) => p.minor)).toEqual([34n, 33n, 33n])
    expect(Money.allocate(Money.make("EUR", 91515n), [1n]).map((p) => p.minor)).toEqual([91515n])
    expect(Money.allocate(Money.make("EUR", 5n), [0n, 0n]).map((p) => p.minor)).toEqual([3n, 2n])
    expect(Money.allocate(Money.make("EUR", -100n), [1n, 2n]).map((p) => p.minor)).toEqual([
      -33n,
      -67n
    ])
  })

  it.prop(
    "allocations sum to the whole, and each part is within one minor unit of its exact share",
    { money: Arbitraries.anyMoney, weights: Arbitraries.weights },
    ({ money, weights }) => {
      const parts = Money.allocate(money, weights)
      const total = weights.reduce((a, b) => a + b, 0n)
      const effective = total === 0n ? weights.map(() => 1n) : weights
      const denominator = total === 0n ? BigInt(weights.length) : total

      expect(parts.reduce((a, p) => a + p.minor, 0n)).toBe(money.minor)
      parts.forEach((part, i) => {
        expect(part.currency).toBe(money.currency)
        const exact = money.minor * effective[i]!
        const gap = part.minor * denominator - exact
        expect(gap < 0n ? -gap : gap).toBeLessThan(denominator)
      })
    }
  )

  it.prop(
    "allocation equals a reference largest-remainder split, for small and huge amounts",
    {
      amount: fc.oneof(
        fc.bigInt({ min: -1_000_000n, max: 1_000_000n }),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n })
      ),
      weights: fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 })
    },
    ({ amount, weights }) => {
      expect(Money.allocateMinor(amount, weights)).toEqual(reference(amount, weights))
    }
  )

  it.prop(
    "allocation equals the reference when remainders tie, over long lists of weights",
    {
      amount: fc.bigInt({ min: -100_000n, max: 100_000n }),
      weights: fc.array(fc.bigInt({ min: 0n, max: 3n }), { minLength: 1, maxLength: 300 })
    },
    ({ amount, weights }) => {
      expect(Money.allocateMinor(amount, weights)).toEqual(reference(amount, weights))
    }
  )
})

/** Largest remainder in plain big integers: the specification the fast path must meet. */
const reference = (amount: bigint, weights: ReadonlyArray<bigint>): Array<bigint> => {
  const total = weights.reduce((a, b) => a + b, 0n)
  const w = total === 0n ? weights.map(() => 1n) : weights
  const d = total === 0n ? BigInt(weights.length) : total
  const whole = amount < 0n ? -amount : amount
  const parts = w.map((x) => (whole * x) / d)
  let left = whole - parts.reduce((a, b) => a + b, 0n)
  const order = w
    .map((x, i) => ({ i, r: (whole * x) % d }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  for (const { i } of order) {
    if (left === 0n) break
    parts[i] = parts[i]! + 1n
    left -= 1n
  }
  return parts.map((p) => (amount < 0n ? -p : p))
}
