import { expect, layer } from "@effect/vitest"
import { Ids, Pim } from "@mercantile/domain"
import { Msw, SapFake } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as SapCatalog from "../../src/erp-catalog/SapCatalog"
import { categoryLabels, catalogContract, fakeControl, requestsTo } from "./contract"

const baseUrl = "https://my400200-api.s4hana.cloud.sap"

const settings: SapCatalog.Options & Parameters<typeof SapCatalog.layer>[0] = {
  baseUrl,
  auth: { _tag: "Basic", username: "COMM_USER", password: Redacted.make("secret") },
  timeout: "2 seconds",
  retries: 2
}

const catalogLayer = (fake: SapFake.SapFake, overrides: Partial<typeof settings> = {}) =>
  Layer.merge(
    SapCatalog.layer({ ...settings, ...overrides }),
    Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app))
  )

/** Product group codes for the contract's labels (at most 9 characters). */
const groupOf = (label: string) =>
  label
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 9)

/** Two rows a page, so that every read follows `__next`. */
const contractFake = SapFake.makeSapFake({
  items: [],
  pageSize: 2,
  productGroups: Object.values(categoryLabels).map((label) => ({ code: groupOf(label), label }))
})

catalogContract(
  "SAP S/4HANA through its fake",
  catalogLayer(contractFake),
  fakeControl(contractFake, groupOf)
)

const fake = SapFake.makeSapFake({
  items: ["A", "B", "C", "D", "E"].map((x) => ({
    sku: `MAT-${x}`,
    name: `Material ${x}`,
    category: "L001",
    prices: {},
    stock: []
  })),
  pageSize: 2,
  productGroups: [{ code: "L001", label: "Lighting" }]
})

const productReads = (from: number) => requestsTo(fake, "/API_PRODUCT_SRV/A_Product", from)

layer(catalogLayer(fake), { excludeTestServices: true })("SapCatalog", (it) => {
  it.effect("a page of three follows __next over two OData pages, and stops at three", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const from = fake.requests().length

      const first = yield* pim.products({ limit: 3 })
      const reads = productReads(from)
      const second = yield* pim.products({ limit: 3, cursor: Option.getOrThrow(first.next) })

      expect(first.items.map((p) => p.sku)).toEqual(["MAT-A", "MAT-B", "MAT-C"])
      expect(second.items.map((p) => p.sku)).toEqual(["MAT-D", "MAT-E"])
      expect(second.next).toEqual(Option.none())
      // $top=4 (one more than the page, to know there is a next) at two rows a page.
      expect(reads).toBe(2)
    })
  )

  it.effect("a cursor that is not an offset is a Decode error", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const error = yield* Effect.flip(pim.products({ cursor: "MAT-C" }))
      expect(error.reason).toBe("Decode")
    })
  )

  it.effect("product group texts are the categories", () =>
    Effect.gen(function* () {
      const pim = yield* Pim.Pim
      const tree = yield* pim.categories
      expect(tree.map((c) => [c.code, c.label, c.parent])).toEqual([
        ["L001", "Lighting", undefined]
      ])
    })
  )

  it.effect("a refused login is an Unauthorized PimError", () =>
    Effect.gen(function* () {
      const wrong = SapCatalog.layer({
        ...settings,
        auth: { _tag: "Basic", username: "COMM_USER", password: Redacted.make("nope") }
      })
      const error = yield* Effect.flip(
        Effect.flatMap(Pim.Pim, (p) => p.product(Ids.Sku.make("MAT-A"))).pipe(Effect.provide(wrong))
      )
      expect(error).toBeInstanceOf(Pim.PimError)
      expect(error.reason).toBe("Unauthorized")
    })
  )
})

layer(Layer.empty)("SapCatalog mapping", (it) => {
  it("the name in the configured language, else any, else the SKU", () => {
    const row = (texts: ReadonlyArray<[string, string]>) => ({
      Product: "TG11",
      to_Description: {
        results: texts.map(([Language, ProductDescription]) => ({ Language, ProductDescription }))
      }
    })
    expect(
      SapCatalog.toItem(
        row([
          ["DE", "Tisch"],
          ["EN", "Table"]
        ]),
        "EN"
      ).name
    ).toBe("Table")
    expect(SapCatalog.toItem(row([["DE", "Tisch"]]), "EN").name).toBe("Tisch")
    expect(SapCatalog.toItem(row([]), "EN").name).toBeUndefined()
  })
})
