import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Catalog from "../../src/catalog/Catalog"
import * as SharedData from "../../src/SharedData"

const dir = SharedData.requireShared("catalog", "akeneo-icecat-demo")

describe.runIf(dir !== undefined)("akeneo icecat demo", () => {
  const load = Catalog.load(dir ?? "")
  const variant = (catalog: Catalog.DemoCatalog, sku: string) => {
    const found = catalog.variants.find((v) => v.sku === sku)
    expect(found, sku).toBeDefined()
    return found as Catalog.DemoVariant
  }

  it.effect("counts models and variants", () =>
    Effect.gen(function* () {
      const catalog = yield* load
      expect(catalog.models).toHaveLength(81)
      expect(catalog.variants).toHaveLength(240)
      expect(catalog.models.filter((m) => m.parent === undefined)).toHaveLength(50)
      expect(catalog.categories).toHaveLength(168)
    })
  )

  it.effect("finds 186 variants with a EUR price", () =>
    Effect.gen(function* () {
      const catalog = yield* load
      expect(catalog.variants.filter((v) => v.prices["EUR"] !== undefined)).toHaveLength(186)
      expect(catalog.variants.filter((v) => v.prices["USD"] !== undefined)).toHaveLength(12)
    })
  )

  it.effect("resolves two-level variants", () =>
    Effect.gen(function* () {
      const catalog = yield* load
      const jacket = variant(catalog, "Biker-jacket-polyester-xl")
      expect(jacket.rootModel).toBe("model-biker-jacket")
      expect(jacket.slug).toBe("model-biker-jacket")
      expect(jacket.name).toBe("Biker jacket")
      expect(jacket.attributes).toEqual({ material: "polyester", size: "XL" })
      expect(jacket.ean).toBe("1234567890367")
      expect(jacket.enabled).toBe(true)
    })
  )

  it.effect("reads prices, names and axes of known SKUs", () =>
    Effect.gen(function* () {
      const catalog = yield* load
      const heritage = variant(catalog, "1111111111")
      expect(heritage).toMatchObject({ rootModel: "amor", name: "Heritage jacket navy" })
      expect(heritage.prices).toEqual({ EUR: "999" })
      expect(heritage.attributes).toEqual({ color: "Blue", size: "XXL" })
      expect(heritage.categories).toEqual(["master_men_blazers", "supplier_zaro"])

      const dress = variant(catalog, "1111111217")
      expect(dress).toMatchObject({ rootModel: "dressshoe", name: "Dress shoe" })
      expect(dress.prices).toEqual({ EUR: "444" })

      const tv = variant(catalog, "tvsam32")
      expect(tv.rootModel).toBe("samtv")
      expect(tv.attributes["display_diagonal"]).toMatch(/^32 INCH$/)
    })
  )

  it.effect("resolves the five parents spelled in another case", () =>
    Effect.gen(function* () {
      const catalog = yield* load
      const divided = catalog.variants.filter((v) => /^tshirt-divided-/i.test(v.sku))
      expect(divided).toHaveLength(12)
      expect(new Set(divided.map((v) => v.rootModel))).toEqual(new Set(["model-tshirt-divided"]))
      expect(divided.every((v) => v.prices["USD"] !== undefined)).toBe(true)
      const running = catalog.variants.filter((v) => /^running-shoes-[sl]-/i.test(v.sku))
      expect(running).toHaveLength(6)
      expect(new Set(running.map((v) => v.rootModel))).toEqual(new Set(["model-running-shoes"]))
      const subModels = new Set(
        catalog.models.filter((m) => /^model-(tshirt-divided|running-shoes)-/.test(m.code))
      )
      expect(subModels.size).toBeGreaterThanOrEqual(5)
    })
  )

  it.effect("keeps multi-line descriptions and trims trailing spaces", () =>
    Effect.gen(function* () {
      const catalog = yield* load
      expect(catalog.variants.some((v) => v.description?.includes("\n"))).toBe(true)
      const hat = catalog.models.find((m) => m.code === "model-braided-hat")
      expect(hat?.name).toBe("Braided hat")
    })
  )
})
