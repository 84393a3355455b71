import { describe, expect, it } from "@effect/vitest"
import { Arbitraries } from "@mercantile/testkit"
import * as fc from "fast-check"
import * as Currency from "../../src/Currency"
import * as Money from "../../src/Money"
import * as Promotion from "../../src/Promotion"
import * as Ratio from "../../src/Ratio"
import * as Rounding from "../../src/Rounding"
import * as Tax from "../../src/Tax"
import { input, list, priced, sku } from "./support"

const decimal = Money.toDecimal

describe("field cases", () => {
  it("C1 tax-inclusive line rounding", () => {
    const cart = priced(
      input({
        currency: "GBP",
        region: "GB",
        percent: 20,
        lists: [list("GBP", true, { MUG: "38.23" })],
        lines: [["MUG", 10]]
      })
    )
    const line = cart.lines[0]!

    expect(decimal(line.total)).toBe("382.30")
    expect(decimal(line.net)).toBe("318.58")
    expect(decimal(line.tax)).toBe("63.72")
    expect(line.net.minor + line.tax.minor).toBe(line.total.minor)
    expect(decimal(cart.total)).toBe("382.30")
    expect([decimal(line.net), decimal(cart.net)]).not.toContain("318.60")
    expect([decimal(line.total), decimal(cart.total)]).not.toContain("382.32")
  })

  it.prop(
    "C1 kind: every currency, rate and rounding keeps the gross and net + tax = gross",
    {
      currency: Arbitraries.pricingCurrency,
      rate: Arbitraries.taxRate,
      rounding: Arbitraries.roundingMode,
      calculation: fc.constantFrom<Tax.Calculation>("Line", "Unit"),
      level: fc.constantFrom<Tax.Level>("Line", "Total"),
      unit: fc.bigInt({ min: 0n, max: 10_000_000n }),
      quantity: fc.integer({ min: 1, max: 999 })
    },
    ({ calculation, currency, level, quantity, rate, rounding, unit }) => {
      const tax = Tax.policy({
        rates: [{ region: "GB", taxClass: "standard", rate }],
        rounding,
        level,
        calculation
      })
      const amount = Money.toDecimal(Money.make(currency, unit))
      const cart = priced({
        ...input({
          currency,
          region: "GB",
          percent: 0,
          lists: [list(currency, true, { MUG: amount })],
          lines: [["MUG", quantity]]
        }),
        tax
      })
      const line = cart.lines[0]!
      const gross = unit * BigInt(quantity)
      const exactTax =
        calculation === "Unit" && level === "Line"
          ? Tax.roundPerUnit(gross, BigInt(quantity), rate, true, rounding)
          : Tax.round(gross, rate, true, rounding)

      expect(line.total.minor).toBe(gross)
      expect(line.net.minor + line.tax.minor).toBe(gross)
      expect(line.tax.minor).toBe(exactTax)
      expect(cart.total.minor).toBe(gross)
    }
  )

  it("C2 order discount spread over units", () => {
    const promotion = Promotion.make({ id: "ORDER10", action: Promotion.percentOffCart(10) })
    const single = priced(
      input({
        currency: "EUR",
        region: "DE",
        percent: 0,
        lists: [list("EUR", false, { DESK: "366.06" })],
        lines: [["DESK", 25]],
        promotions: [promotion]
      })
    )

    expect(decimal(single.subtotal)).toBe("9151.50")
    expect(decimal(single.discount)).toBe("915.15")
    expect(decimal(single.net)).toBe("8236.35")
    expect(decimal(single.discount)).not.toBe("915.25")

    const spread = priced(
      input({
        currency: "EUR",
        region: "DE",
        percent: 0,
        lists: [list("EUR", false, { A: "366.06", B: "366.06", C: "366.06" })],
        lines: [
          ["A", 7],
          ["B", 11],
          ["C", 7]
        ],
        promotions: [promotion]
      })
    )
    const parts = spread.lines.map((line) => line.discount.minor)

    expect(parts.reduce((a, b) => a + b, 0n)).toBe(91515n)
    expect(decimal(spread.discount)).toBe("915.15")
    expect(decimal(spread.net)).toBe("8236.35")
  })

  it("C3 promotion order", () => {
    const product = Promotion.make({
      id: "PRODUCT40",
      priority: 10,
      action: Promotion.percentOffLines(40),
      conditions: { skus: [sku("LAMP")] }
    })
    const voucher = Promotion.make({
      id: "VOUCHER70",
      priority: 1,
      action: Promotion.percentOffCart(70),
      conditions: { codes: ["SAVE70"] }
    })
    const cart = priced(
      input({
        currency: "EUR",
        region: "DE",
        percent: 19,
        lists: [list("EUR", true, { LAMP: "100.00" })],
        lines: [["LAMP", 10]],
        promotions: [voucher, product],
        codes: ["save70"]
      })
    )
    const voucherStep = cart.explanation.find(
      (e) => e._tag === "Discount" && e.promotion === "VOUCHER70"
    )

    expect(decimal(cart.subtotal)).toBe("1000.00")
    expect(decimal(cart.discount)).toBe("820.00")
    expect(decimal(cart.total)).toBe("180.00")
    expect(voucherStep?._tag === "Discount" && decimal(voucherStep.base)).toBe("600.00")
    expect(voucherStep?._tag === "Discount" && decimal(voucherStep.amount)).toBe("420.00")
    expect(cart.discount.minor).toBeLessThanOrEqual(cart.subtotal.minor)
    expect(cart.total.minor).toBeGreaterThanOrEqual(0n)
    expect(decimal(cart.discount)).not.toBe("1100.00")
  })

  it("C4 zero-decimal currency", () => {
    const cart = priced(
      input({
        currency: "JPY",
        region: "JP",
        percent: 10,
        lists: [list("JPY", true, { TEA: "1000" })],
        lines: [["TEA", 3]],
        promotions: [Promotion.make({ id: "LINE15", action: Promotion.percentOffLines(15) })]
      })
    )
    const line = cart.lines[0]!
    const figures = [line.subtotal, line.discount, line.net, line.tax, line.total]

    expect(decimal(cart.total)).toBe("2550")
    expect(decimal(cart.tax)).toBe("232")
    expect(decimal(cart.net)).toBe("2318")
    expect(decimal(line.discount)).toBe("450")
    expect(Money.toMinorUnitString(cart.total)).toBe("2550")
    expect(Money.toMinorUnitString(cart.total)).not.toBe("255000")
    expect(figures.every((m) => m.currency === "JPY" && Currency.minorUnit(m.currency) === 0)).toBe(
      true
    )
    expect(figures.map(decimal).every((text) => /^\d+$/.test(text))).toBe(true)
  })

  it("C5 three-decimal currency", () => {
    const kwd = Money.fromDecimal("KWD", "18.600")
    const bhd = Money.fromDecimal("BHD", "35.200")
    expect(kwd._tag === "Right" && kwd.right.minor).toBe(18600n)
    expect(decimal(Money.make("KWD", 18600n))).toBe("18.600")
    expect(bhd._tag === "Right" && bhd.right.minor).toBe(35200n)

    for (const rounding of ["HalfUp", "HalfEven", "Up"] as const) {
      const cart = priced(
        input({
          currency: "KWD",
          region: "KW",
          percent: 0,
          lists: [list("KWD", true, { DATE: "2.345" })],
          lines: [["DATE", 3]],
          promotions: [
            Promotion.make({ id: "TEN", action: Promotion.percentOffLines(10), rounding })
          ]
        })
      )
      expect(decimal(cart.subtotal)).toBe("7.035")
      expect(decimal(cart.discount)).toBe("0.704")
      expect(decimal(cart.total)).toBe("6.331")
      expect(decimal(cart.discount)).not.toBe("0.700")
    }
  })

  it.prop(
    "C5 kind: a percentage discount keeps every decimal of the currency",
    {
      currency: Arbitraries.pricingCurrency,
      unit: fc.bigInt({ min: 0n, max: 1_000_000n }),
      quantity: fc.integer({ min: 1, max: 50 }),
      percent: Arbitraries.percent,
      rounding: Arbitraries.roundingMode
    },
    ({ currency, percent, quantity, rounding, unit }) => {
      const cart = priced(
        input({
          currency,
          region: "KW",
          percent: 0,
          lists: [list(currency, true, { DATE: Money.toDecimal(Money.make(currency, unit)) })],
          lines: [["DATE", quantity]],
          promotions: [
            Promotion.make({
              id: "P",
              action: Promotion.Action.PercentOffLines({ percent }),
              rounding
            })
          ]
        })
      )
      const subtotal = unit * BigInt(quantity)
      const expected = Rounding.divide(subtotal * percent.numerator, percent.denominator, rounding)
      expect(cart.discount.minor).toBe(expected)
      expect(cart.total.minor).toBe(subtotal - expected)
      expect(Ratio.isAtMostOne(percent)).toBe(true)
    }
  )
})
