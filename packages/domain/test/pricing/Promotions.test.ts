import { describe, expect, it } from "@effect/vitest"
import * as Money from "../../src/Money"
import type * as PriceEngine from "../../src/PriceEngine"
import * as Promotion from "../../src/Promotion"
import * as Ratio from "../../src/Ratio"
import * as Tax from "../../src/Tax"
import { at, context, input, list, priced, refused, sku } from "./support"

const shop = (
  promotions: ReadonlyArray<Promotion.Promotion>,
  lines: ReadonlyArray<readonly [string, number]> = [
    ["TEE", 4],
    ["MUG", 2]
  ],
  codes: ReadonlyArray<string> = []
): PriceEngine.Input =>
  input({
    currency: "EUR",
    region: "DE",
    percent: 19,
    lists: [list("EUR", true, { TEE: "20.00", MUG: "10.00", CAP: "5.00" })],
    lines,
    promotions,
    codes
  })

const off = (cart: PriceEngine.PricedCart) => Money.toDecimal(cart.discount)
const refusals = (cart: PriceEngine.PricedCart) =>
  cart.explanation.flatMap((e) =>
    e._tag === "PromotionRefused" ? [`${e.promotion}:${e.reason}`] : []
  )

describe("promotions", () => {
  it("a fixed amount off in a tax-inclusive list lowers the gross by exactly that amount", () => {
    const five = Promotion.make({
      id: "FIVE",
      action: Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 500n) })
    })
    const before = priced(shop([]))
    const after = priced(shop([five]))
    expect(before.total.minor - after.total.minor).toBe(500n)
    expect(Money.toDecimal(after.total)).toBe("95.00")
    expect(after.lines.every((l) => l.net.minor + l.tax.minor === l.total.minor)).toBe(true)
  })

  it("amount off units and fixed unit prices never go below zero", () => {
    const cart = priced(
      shop([
        Promotion.make({
          id: "HUGE",
          action: Promotion.Action.AmountOffUnits({ amount: Money.make("EUR", 5000n) })
        })
      ])
    )
    expect(Money.toDecimal(cart.total)).toBe("0.00")
    const fixed = priced(
      shop([
        Promotion.make({
          id: "FIX",
          action: Promotion.Action.FixedUnitPrice({ amount: Money.make("EUR", 1500n) })
        })
      ])
    )
    // TEE 4 x 15.00, MUG stays 2 x 10.00 (already below the fixed price)
    expect(Money.toDecimal(fixed.total)).toBe("80.00")
  })

  it("buy two get one discounts the cheapest units", () => {
    const cart = priced(
      shop(
        [Promotion.make({ id: "B2G1", action: Promotion.buyXGetY(2, 1) })],
        [
          ["TEE", 4],
          ["MUG", 2]
        ]
      )
    )
    // 6 units -> 2 free, the two MUGs
    expect(off(cart)).toBe("20.00")
    expect(Money.toDecimal(cart.lines[1]!.total)).toBe("0.00")
  })

  it("a free item makes units of a SKU in the cart free, and never adds lines", () => {
    const gift = Promotion.make({
      id: "GIFT",
      action: Promotion.Action.FreeItem({ sku: sku("CAP"), quantity: 1 }),
      conditions: { skus: [sku("TEE")] }
    })
    const cart = priced(
      shop(
        [gift],
        [
          ["TEE", 1],
          ["CAP", 3]
        ]
      )
    )
    expect(off(cart)).toBe("5.00")
    expect(priced(shop([gift], [["TEE", 1]])).lines).toHaveLength(1)
  })

  it("an exclusive promotion applies alone", () => {
    const cart = priced(
      shop([
        Promotion.make({ id: "TEN", priority: 9, action: Promotion.percentOffCart(10) }),
        Promotion.make({ id: "SOLO", exclusive: true, action: Promotion.percentOffCart(50) })
      ])
    )
    expect(off(cart)).toBe("50.00")
    expect(refusals(cart)).toEqual(["TEN:Excluded"])
  })

  it("stop-after ends the sequence", () => {
    const cart = priced(
      shop([
        Promotion.make({
          id: "A",
          priority: 3,
          stopAfter: true,
          action: Promotion.percentOffCart(10)
        }),
        Promotion.make({ id: "B", priority: 1, action: Promotion.percentOffCart(10) })
      ])
    )
    expect(off(cart)).toBe("10.00")
    expect(refusals(cart)).toEqual(["B:Excluded"])
  })

  it("only the best deal of a group applies", () => {
    const cart = priced(
      shop([
        Promotion.make({ id: "G-PCT", group: "g", action: Promotion.percentOffCart(10) }),
        Promotion.make({
          id: "G-AMT",
          group: "g",
          action: Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 1500n) })
        })
      ])
    )
    expect(off(cart)).toBe("15.00")
    expect(refusals(cart)).toEqual(["G-PCT:Excluded"])
  })

  it("a minimum subtotal is checked against what earlier promotions left", () => {
    const first = Promotion.make({ id: "HALF", priority: 2, action: Promotion.percentOffCart(50) })
    const threshold = Promotion.make({
      id: "OVER80",
      priority: 1,
      action: Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 1000n) }),
      conditions: { minSubtotal: Money.make("EUR", 8000n), codes: ["OVER80"] }
    })
    const cart = priced(shop([first, threshold], undefined, ["over80"]))
    expect(off(cart)).toBe("50.00")
    expect(refusals(cart)).toEqual(["OVER80:NotEligible"])
  })

  it("codes, groups, windows and usage limits decide eligibility", () => {
    const limited = Promotion.make({
      id: "WELCOME",
      action: Promotion.percentOffCart(10),
      conditions: { codes: ["WELCOME"], usage: { limitPerCode: 100, usedByCode: { welcome: 100 } } }
    })
    const exhausted = priced(shop([limited], undefined, ["Welcome "]))
    expect(off(exhausted)).toBe("0.00")
    expect(refusals(exhausted)).toEqual(["WELCOME:UsageLimitPerCode"])

    const perCustomer = Promotion.make({
      id: "ONCE",
      action: Promotion.percentOffCart(10),
      conditions: { codes: ["ONCE"], usage: { limitPerCustomer: 1, usedByCustomer: 0 } }
    })
    expect(refusals(priced(shop([perCustomer], undefined, ["ONCE"])))).toEqual([
      "ONCE:UsageLimitPerCustomer"
    ])

    const later = Promotion.make({
      id: "LATER",
      action: Promotion.percentOffCart(10),
      conditions: { validFrom: new Date(at.getTime() + 1) }
    })
    expect(off(priced(shop([later])))).toBe("0.00")

    const vip = Promotion.make({
      id: "VIP",
      action: Promotion.percentOffCart(10),
      conditions: { customerGroups: ["vip"] }
    })
    expect(off(priced(shop([vip])))).toBe("0.00")

    const unknown = priced(shop([], undefined, ["NOPE"]))
    expect(unknown.explanation).toContainEqual({ _tag: "UnknownCode", code: "NOPE" })
  })

  it("refuses a percentage over 100, an unknown SKU and an inverted window, naming the promotion", () => {
    const over = Promotion.make({
      id: "OVER",
      action: Promotion.Action.PercentOffLines({ percent: Ratio.make(101n, 100n) })
    })
    expect([refused(shop([over])).reason, refused(shop([over])).rule]).toEqual([
      "InvalidPercentage",
      "OVER"
    ])

    const ghost = Promotion.make({
      id: "GHOST",
      action: Promotion.percentOffLines(10),
      conditions: { skus: [sku("NOT-SOLD")] }
    })
    const unknownSku = refused(shop([ghost]))
    expect([unknownSku.reason, unknownSku.rule, unknownSku.sku]).toEqual([
      "UnknownSku",
      "GHOST",
      "NOT-SOLD"
    ])

    const inverted = Promotion.make({
      id: "BACKWARDS",
      action: Promotion.percentOffLines(10),
      conditions: { validFrom: new Date(at.getTime() + 1000), validUntil: at }
    })
    expect([refused(shop([inverted])).reason, refused(shop([inverted])).rule]).toEqual([
      "InvalidValidity",
      "BACKWARDS"
    ])
  })

  it("explains each discount with its base, amount and rounding", () => {
    const cart = priced(
      shop([Promotion.make({ id: "TEN", action: Promotion.percentOffLines(10), rounding: "Down" })])
    )
    const tee = cart.lines[0]!.explanation.find((e) => e._tag === "Discount")
    expect(tee).toEqual({
      _tag: "Discount",
      promotion: "TEN",
      action: "PercentOffLines",
      base: Money.make("EUR", 8000n),
      amount: Money.make("EUR", 800n),
      rounding: "Down"
    })
  })

  it("a promotion in another currency is refused, not converted", () => {
    const usd = Promotion.make({
      id: "USD5",
      action: Promotion.Action.AmountOffCart({ amount: Money.make("USD", 500n) }),
      conditions: { codes: ["USD5"] }
    })
    const cart = priced(shop([usd], undefined, ["USD5"]))
    expect(off(cart)).toBe("0.00")
    expect(refusals(cart)).toEqual(["USD5:OtherCurrency"])
  })

  it("per-total tax rounding allocates the rounded tax back over lines", () => {
    const tax = Tax.policy({
      rates: [{ region: "DE", taxClass: "standard", rate: Ratio.percent(19) }],
      rounding: "HalfEven",
      level: "Total",
      calculation: "Line"
    })
    const lines = Array.from({ length: 7 }, (_, n) => ({ sku: sku(`S${n}`), quantity: 1 }))
    const prices = Object.fromEntries(lines.map((l) => [l.sku, "0.05"]))
    const cart = priced({
      lines,
      context: context("EUR", "DE"),
      priceLists: [list("EUR", false, prices)],
      promotions: [],
      codes: [],
      tax
    })
    // 7 x 0.05 = 0.35 net; 19 % is 0.0665 -> 0.07 once, not 7 x 0.01
    expect(Money.toDecimal(cart.tax)).toBe("0.07")
    expect(cart.lines.reduce((a, l) => a + l.tax.minor, 0n)).toBe(7n)
  })
})
