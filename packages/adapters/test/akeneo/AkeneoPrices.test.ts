import { describe, expect, it } from "@effect/vitest"
import { Ids, Money, Pim, PriceEngine, PricingContext, Tax } from "@mercantile/domain"
import * as Either from "effect/Either"
import * as AkeneoPrices from "../../src/akeneo/AkeneoPrices"

const product = (sku: string, ...prices: ReadonlyArray<Money.Money>) =>
  new Pim.Product({
    sku: Ids.Sku.make(sku),
    productId: Ids.ProductId.make("tee"),
    slug: Ids.Slug.make("tee"),
    name: "Tee",
    categories: [],
    attributes: {},
    listPrices: prices,
    enabled: true
  })

describe("AkeneoPrices", () => {
  it("turns price collections into one base list per currency", () => {
    const lists = Either.getOrThrow(
      AkeneoPrices.priceLists(
        [
          product("TEE-S", Money.make("EUR", 1550n), Money.make("USD", 1500n)),
          product("TEE-M", Money.make("EUR", 1600n)),
          product("TEE-L")
        ],
        { taxInclusive: true }
      )
    )

    expect(lists.map((l) => [l.id, l.kind, l.currency, l.taxInclusive])).toEqual([
      ["akeneo-EUR", "Base", "EUR", true],
      ["akeneo-USD", "Base", "USD", true]
    ])
    expect(lists[0]?.prices.map((p) => [p.sku, Money.toDecimal(p.amount)])).toEqual([
      ["TEE-S", "15.50"],
      ["TEE-M", "16.00"]
    ])
  })

  it("prices a cart from them", () => {
    const lists = Either.getOrThrow(
      AkeneoPrices.priceLists([product("TEE-S", Money.make("EUR", 1550n))], { taxInclusive: true })
    )
    const priced = PriceEngine.price({
      lines: [{ sku: Ids.Sku.make("TEE-S"), quantity: 2 }],
      context: new PricingContext.PricingContext({
        currency: "EUR",
        region: PricingContext.Region.make("DE"),
        channel: PricingContext.Channel.make("web"),
        at: new Date("2026-01-01T00:00:00Z")
      }),
      priceLists: lists,
      promotions: [],
      codes: [],
      tax: Tax.standardVat("DE", 19)
    })

    expect(Either.map(priced, (cart) => Money.toDecimal(cart.total))).toEqual(Either.right("31.00"))
  })

  it("refuses a negative amount, naming the SKU", () => {
    const result = AkeneoPrices.priceLists([product("TEE-S", Money.make("EUR", -1n))], {
      taxInclusive: true
    })

    expect(Either.isLeft(result) && result.left.reason).toBe("InvalidPrice")
    expect(Either.isLeft(result) && result.left.sku).toBe("TEE-S")
  })
})
