import { expect, layer } from "@effect/vitest"
import { Ids, Pim } from "@mercantile/domain"
import { Msw, NetSuiteFake } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as NetSuiteCatalog from "../../src/erp-catalog/NetSuiteCatalog"
import { catalogContract, fakeControl, requestsTo, walk } from "./contract"

const account = {
  accountId: "5550001",
  consumerKey: "catalog-consumer",
  consumerSecret: "catalog-consumer-secret",
  tokenId: "catalog-token",
  tokenSecret: "catalog-token-secret"
}

const baseUrl = "https://5550001.suitetalk.api.netsuite.com"

const settings: Parameters<typeof NetSuiteCatalog.layer>[0] = {
  accountId: account.accountId,
  consumerKey: Redacted.make(account.consumerKey),
  consumerSecret: Redacted.make(account.consumerSecret),
  tokenId: Redacted.make(account.tokenId),
  tokenSecret: Redacted.make(account.tokenSecret),
  baseUrl,
  timeout: "2 seconds",
  // Small SuiteQL pages, so that full listings cross several.
  pageSize: 2
}

const catalogLayer = (fake: NetSuiteFake.NetSuiteFake) =>
  Layer.merge(NetSuiteCatalog.layer(settings), Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app)))

const contractFake = NetSuiteFake.makeNetSuiteFake({ ...account, items: [] })

catalogContract("NetSuite through its fake", catalogLayer(contractFake), fakeControl(contractFake))

const fake = NetSuiteFake.makeNetSuiteFake({
  ...account,
  items: [
    {
      sku: "CHAIR-OAK",
      name: "Oak chair",
      description: "Solid oak, oiled.",
      category: "Furniture : Seating : Chairs",
      prices: {},
      stock: []
    },
    {
      sku: "SOFA-2",
      name: "Two-seat sofa",
      category: "Furniture : Seating",
      prices: {},
      stock: []
    },
    { sku: "TABLE-1", name: "Table", category: "Furniture", prices: {}, stock: [] },
    { sku: "RUG-1", name: "Rug", category: "Textiles", prices: {}, stock: [] },
    { sku: "TEE-RED-M", name: "", parent: "Tee Shirt (2024)", prices: {}, stock: [] }
  ]
})

const suiteqlCalls = (from: number) => requestsTo(fake, "/suiteql", from)

layer(catalogLayer(fake), { excludeTestServices: true })("NetSuiteCatalog", (it) => {
  it.effect("a description comes from the sales description", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const chair = Option.getOrThrow(yield* pim.product(Ids.Sku.make("CHAIR-OAK")))
      const sofa = Option.getOrThrow(yield* pim.product(Ids.Sku.make("SOFA-2")))

      expect(chair.description).toBe("Solid oak, oiled.")
      expect(sofa.description).toBeUndefined()
    })
  )

  it.effect("a matrix child without a display name: SKU as name, parent as model", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const tee = Option.getOrThrow(yield* pim.product(Ids.Sku.make("TEE-RED-M")))

      expect([tee.name, tee.productId, tee.slug]).toEqual([
        "TEE-RED-M",
        "tee-shirt-2024",
        "tee-shirt-2024"
      ])
    })
  )

  it.effect("the class tree keeps its parents", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const tree = yield* pim.categories
      const byLabel = new Map(tree.map((c) => [c.label, c]))

      expect(tree.map((c) => c.label).sort()).toEqual([
        "Chairs",
        "Furniture",
        "Seating",
        "Textiles"
      ])
      expect(byLabel.get("Chairs")?.parent).toBe(byLabel.get("Seating")?.code)
      expect(byLabel.get("Seating")?.parent).toBe(byLabel.get("Furniture")?.code)
      expect(byLabel.get("Furniture")?.parent).toBeUndefined()
    })
  )

  it.effect("a category takes in the classes below it", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const tree = yield* pim.categories
      const code = (label: string) => tree.find((c) => c.label === label)!.code

      const furniture = yield* walk(pim, { category: code("Furniture"), limit: 10 })
      const seating = yield* walk(pim, { category: code("Seating"), limit: 10 })

      expect(furniture.flat().map((p) => p.sku)).toEqual(["CHAIR-OAK", "SOFA-2", "TABLE-1"])
      expect(seating.flat().map((p) => p.sku)).toEqual(["CHAIR-OAK", "SOFA-2"])
    })
  )

  it.effect("a product page is one SuiteQL call; a full listing follows SuiteQL's pages", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const before = suiteqlCalls(0)
      const page = yield* pim.products({ limit: 4 })
      const afterPage = suiteqlCalls(0)
      const changed = yield* pim.changedSince(new Date("2020-01-01T00:00:00Z"))

      expect(page.items.length).toBe(4)
      expect(afterPage - before).toBe(1)
      expect(changed.map((p) => p.sku)).toEqual([
        "CHAIR-OAK",
        "RUG-1",
        "SOFA-2",
        "TABLE-1",
        "TEE-RED-M"
      ])
      // Five rows at two a page.
      expect(suiteqlCalls(0) - afterPage).toBe(3)
    })
  )

  it.effect("a 429 is retried; a refused login is an Unauthorized PimError", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      fake.inject({ failNext: "429" })
      // Retried once by the client, then answered.
      expect(Option.isSome(yield* pim.product(Ids.Sku.make("RUG-1")))).toBe(true)

      const wrong = NetSuiteCatalog.layer({ ...settings, tokenSecret: Redacted.make("nope") })
      const error = yield* Effect.flip(
        Effect.flatMap(Pim.Pim, (p) => p.categories).pipe(Effect.provide(wrong))
      )
      expect(error).toBeInstanceOf(Pim.PimError)
      expect(error.reason).toBe("Unauthorized")
    })
  )
})

layer(Layer.empty)("NetSuiteCatalog queries", (it) => {
  it("quotes literals and pages by SKU", () => {
    const query = NetSuiteCatalog.itemQuery({ after: "O'BRIEN", classes: ["3"], rows: 11 })
    expect(query).toContain("AND item.itemid > 'O''BRIEN'")
    expect(query).toContain("AND item.class IN ('3')")
    expect(query).toMatch(/^SELECT \* FROM \(.* ORDER BY item\.itemid\) WHERE ROWNUM <= 11$/)
  })

  it("an isinactive other than T or F is refused", () => {
    const row = { id: "1", sku: "X", isinactive: "yes" }
    expect(NetSuiteCatalog.toItem(row)._tag).toBe("Left")
    expect(NetSuiteCatalog.toItem({ ...row, isinactive: "T" })).toMatchObject({
      right: { enabled: false }
    })
  })
})
