import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { CustomerId } from "../../src/Ids"
import * as Money from "../../src/Money"
import * as PriceEngine from "../../src/PriceEngine"
import * as PriceList from "../../src/PriceList"
import { CustomerGroup } from "../../src/PricingContext"
import * as Tax from "../../src/Tax"
import { at, context, priced, refused, sku } from "./support"

const build = (
  id: string,
  kind: PriceList.PriceListKind,
  prices: ReadonlyArray<PriceList.PriceInput>,
  priority = 0
) =>
  Either.getOrThrow(
    PriceList.build({ id, kind, currency: "EUR", taxInclusive: true, priority, prices })
  )

const price = (
  lists: ReadonlyArray<PriceList.PriceList>,
  quantity = 1,
  extra: Parameters<typeof context>[2] = {},
  selection?: PriceEngine.Input["selection"]
): PriceEngine.Input => ({
  lines: [{ sku: sku("TEE"), quantity }],
  context: context("EUR", "DE-BY", extra),
  priceLists: lists,
  promotions: [],
  codes: [],
  tax: Tax.standardVat("DE", 19),
  ...(selection === undefined ? {} : { selection })
})

const unit = (input: PriceEngine.Input) => Money.toDecimal(priced(input).lines[0]!.unitPrice)

describe("price selection", () => {
  const base = build("base", "Base", [{ id: "b", sku: "TEE", amount: "20.00" }])

  it("the most specific scope wins over a lower price", () => {
    const lists = [
      base,
      build("region", "Base", [{ id: "r", sku: "TEE", amount: "19.00", region: "DE" }]),
      build("sub", "Base", [{ id: "s", sku: "TEE", amount: "19.50", region: "DE-BY" }]),
      build("group", "Base", [{ id: "g", sku: "TEE", amount: "19.90", customerGroup: "vip" }]),
      build("cheap", "Base", [{ id: "c", sku: "TEE", amount: "1.00", region: "FR" }])
    ]
    expect(unit(price(lists))).toBe("19.50")
    expect(unit(price(lists, 1, { customerGroup: CustomerGroup.make("vip") }))).toBe("19.90")
  })

  it("a contract price for the customer beats every other", () => {
    const contract = build("contract", "Contract", [
      { id: "k", sku: "TEE", amount: "25.00", customerId: "C-9" }
    ])
    expect(unit(price([base, contract], 1, { customerId: CustomerId.make("C-9") }))).toBe("25.00")
    expect(unit(price([base, contract], 1, { customerId: CustomerId.make("C-1") }))).toBe("20.00")
  })

  it("quantity tiers count the SKU over all lines", () => {
    const tiers = build("tiers", "Base", [
      { id: "t", sku: "TEE", amount: "15.00", minQuantity: 10 }
    ])
    expect(unit(price([base, tiers], 9))).toBe("20.00")
    expect(unit(price([base, tiers], 10))).toBe("15.00")
    const split = priced({
      ...price([base, tiers]),
      lines: [
        { sku: sku("TEE"), quantity: 4 },
        { sku: sku("TEE"), quantity: 6 }
      ]
    })
    expect(split.lines.map((l) => Money.toDecimal(l.unitPrice))).toEqual(["15.00", "15.00"])
  })

  it("a validity window is half open and honoured", () => {
    const sale = build("sale", "Sale", [
      {
        id: "s",
        sku: "TEE",
        amount: "12.00",
        validFrom: at,
        validUntil: new Date(at.getTime() + 1)
      }
    ])
    expect(unit(price([base, sale]))).toBe("12.00")
    expect(unit(price([base, sale], 1, { at: new Date(at.getTime() + 1) }))).toBe("20.00")
    expect(unit(price([base, sale], 1, { at: new Date(at.getTime() - 1) }))).toBe("20.00")
  })

  it("a sale price shows the base price as compare-at", () => {
    const sale = build("sale", "Sale", [{ id: "s", sku: "TEE", amount: "15.00" }])
    const line = priced(price([base, sale])).lines[0]!
    expect(Money.toDecimal(line.unitPrice)).toBe("15.00")
    expect(Option.map(line.compareAtPrice, Money.toDecimal)).toEqual(Option.some("20.00"))
    expect(line.explanation.map((e) => e._tag)).toContain("CompareAt")
    expect(priced(price([base])).lines[0]!.compareAtPrice).toEqual(Option.none())
  })

  it("an override replaces other prices of the same scope; then priority, lowest, id", () => {
    const override = build("override", "Override", [{ id: "o", sku: "TEE", amount: "30.00" }])
    expect(unit(price([base, override]))).toBe("30.00")
    const high = build("high", "Base", [{ id: "h", sku: "TEE", amount: "22.00" }], 5)
    expect(unit(price([base, high]))).toBe("22.00")
    const same = build("same", "Base", [{ id: "x", sku: "TEE", amount: "18.00" }])
    expect(unit(price([base, same]))).toBe("18.00")
    const tie = build("a-list", "Base", [{ id: "x", sku: "TEE", amount: "20.00" }])
    const chosen = priced(price([base, tie])).lines[0]!.explanation[0]!
    expect(chosen._tag === "PriceSelected" && chosen.priceList).toBe("a-list")
  })

  it("refuses to choose between tied prices when the policy says so", () => {
    const other = build("other", "Base", [{ id: "o", sku: "TEE", amount: "18.00" }])
    const error = refused(price([base, other], 1, {}, { ties: "Refuse" }))
    expect(error.reason).toBe("AmbiguousPrice")
    expect(error.message).toContain("base/b")
    expect(error.message).toContain("other/o")
  })

  it("names the line with no price, and a SKU priced only in another currency", () => {
    const none = refused({ ...price([base]), lines: [{ sku: sku("MUG"), quantity: 1 }] })
    expect(none.reason).toBe("NoPrice")
    expect(none.sku).toBe("MUG")
    const usd = Either.getOrThrow(
      PriceList.build({
        id: "usd",
        kind: "Base",
        currency: "USD",
        taxInclusive: false,
        prices: [{ id: "u", sku: "MUG", amount: "5.00" }]
      })
    )
    const mixed = refused({ ...price([base, usd]), lines: [{ sku: sku("MUG"), quantity: 1 }] })
    expect(mixed.reason).toBe("MixedCurrencies")
    expect(mixed.sku).toBe("MUG")
  })

  it("refuses bad vendor data, naming the rule", () => {
    const bad = (input: Partial<PriceList.PriceInput>) =>
      PriceList.build({
        id: "erp",
        kind: "Base",
        currency: "EUR",
        taxInclusive: true,
        prices: [{ id: "p1", sku: "TEE", amount: "1.00", ...input }]
      })
    const reasons = [
      bad({ amount: "-3.00" }),
      bad({ amount: "twelve" }),
      bad({ amount: Money.make("USD", 100n) }),
      bad({ validFrom: new Date(at.getTime() + 1000), validUntil: at })
    ].map((r) => (Either.isLeft(r) ? `${r.left.reason} ${r.left.rule}` : "accepted"))
    expect(reasons).toEqual([
      "InvalidPrice erp/p1",
      "InvalidPrice erp/p1",
      "MixedCurrencies erp/p1",
      "InvalidValidity erp/p1"
    ])

    const negative = new PriceList.PriceList({
      id: "raw",
      kind: "Base",
      currency: "EUR",
      taxInclusive: true,
      priority: 0,
      prices: [
        new PriceList.Price(
          { id: "n", sku: sku("TEE"), amount: Money.make("EUR", -1n), minQuantity: 1 },
          { disableValidation: true }
        )
      ]
    })
    const error = refused(price([negative]))
    expect([error.reason, error.rule, error.sku]).toEqual(["InvalidPrice", "raw/n", "TEE"])
  })

  it("the price schema refuses a negative amount", () => {
    const decode = Schema.decodeUnknownEither(PriceList.Price)
    const encoded = (amount: string) => ({
      id: "p",
      sku: "TEE",
      amount: { currency: "EUR", amount }
    })
    const negative = { id: "n", sku: sku("TEE"), amount: Money.make("EUR", -1n) }

    expect(Either.isRight(decode(encoded("0.00")))).toBe(true)
    expect(Either.isLeft(decode(encoded("-0.01")))).toBe(true)
    expect(() => new PriceList.Price(negative)).toThrow("A price is never negative")
  })

  it("refuses a line quantity that is not a positive whole number", () => {
    const error = refused({ ...price([base]), lines: [{ sku: sku("TEE"), quantity: 1.5 }] })
    expect([error.reason, error.sku]).toEqual(["InvalidQuantity", "TEE"])
  })
})
