import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Catalog from "../../src/catalog/Catalog"

const byEnv = (dir: string) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["MERCANTILE_DEMO_CATALOG", dir]])))

describe("demo catalog", () => {
  it.effect("loads the project's own catalog", () =>
    Effect.gen(function* () {
      const catalog = yield* Catalog.load(Catalog.defaultDir)
      expect(catalog.models.map((m) => m.code)).toEqual([
        "harbor-coat",
        "harbor-coat-navy",
        "harbor-coat-sand",
        "trail-runner",
        "linen-shirt"
      ])
      expect(catalog.variants).toHaveLength(10)
      expect(new Set(catalog.variants.map((v) => v.slug))).toEqual(
        new Set(["harbor-coat", "trail-runner", "linen-shirt"])
      )
      expect(catalog.categories.find((c) => c.code === "shop_footwear")).toEqual({
        code: "shop_footwear",
        parent: "shop",
        label: "Footwear"
      })
    })
  )

  it.effect("resolves a parent spelled in another case", () =>
    Effect.gen(function* () {
      const catalog = yield* Catalog.load(Catalog.defaultDir)
      const coat = catalog.variants.find((v) => v.sku === "Harbor-coat-navy-s")
      expect(coat).toMatchObject({
        rootModel: "harbor-coat",
        name: "Harbor coat",
        attributes: { color: "Navy", size: "S" },
        prices: { EUR: "189" },
        categories: ["shop_outerwear", "brand_fjordline"],
        ean: "4006381333931",
        enabled: true
      })
    })
  )

  it.effect("lets the variant's own price and categories win", () =>
    Effect.gen(function* () {
      const catalog = yield* Catalog.load(Catalog.defaultDir)
      const sku = (code: string) => catalog.variants.find((v) => v.sku === code)
      expect(sku("harbor-coat-sand-l")?.prices).toEqual({ EUR: "179.50" })
      expect(sku("harbor-coat-sand-m")?.categories).toEqual([
        "shop",
        "shop_outerwear",
        "brand_fjordline"
      ])
      expect(sku("trail-runner-40")?.prices).toEqual({ EUR: "129", USD: "139" })
      expect(sku("trail-runner-40")?.attributes).toEqual({ eu_shoes_size: "40" })
      expect(sku("harbor-coat-navy-l")?.enabled).toBe(false)
      expect(sku("linen-shirt-m")?.prices).toEqual({})
    })
  )

  it.effect("keeps a quoted multi-line description", () =>
    Effect.gen(function* () {
      const catalog = yield* Catalog.load(Catalog.defaultDir)
      const shirt = catalog.variants.find((v) => v.sku === "linen-shirt-s")
      expect(shirt?.description).toBe("Washed linen shirt.\nRelaxed fit; mother-of-pearl buttons.")
    })
  )

  it.effect("reads the folder named by MERCANTILE_DEMO_CATALOG", () =>
    Effect.gen(function* () {
      const error = yield* Catalog.fromEnv.pipe(byEnv("/nonexistent/catalog"), Effect.flip)
      expect(error).toMatchObject({ _tag: "CatalogError", reason: "Missing" })
      const catalog = yield* Catalog.fromEnv.pipe(byEnv(Catalog.defaultDir))
      expect(catalog.variants).toHaveLength(10)
    })
  )
})
