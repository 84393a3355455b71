import { describe, expect, it } from "@effect/vitest"
import { Ids, Money, Pim } from "@mercantile/domain"
import { AkeneoFake, Catalog, Msw } from "@mercantile/testkit"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as AkeneoClient from "../../src/akeneo/AkeneoClient"
import * as AkeneoPim from "../../src/akeneo/AkeneoPim"

const baseUrl = "https://pim.akeneo.test"
const catalog = await Effect.runPromise(Catalog.load(Catalog.defaultDir))

const credentials = { clientId: "shop-client", secret: "s3cret", username: "shop", password: "pw" }

const settings = (
  overrides: Partial<AkeneoClient.AkeneoConfig> = {}
): AkeneoClient.AkeneoConfig => ({
  baseUrl,
  clientId: credentials.clientId,
  secret: Redacted.make(credentials.secret),
  username: credentials.username,
  password: Redacted.make(credentials.password),
  locale: "en_US",
  channel: "ecommerce",
  ...overrides
})

/** A fresh fake, and the real adapter talking to it through msw. */
const setup = (
  seed: Partial<AkeneoFake.AkeneoSeed> = {},
  config: Partial<AkeneoClient.AkeneoConfig> = {}
) => {
  const fake = AkeneoFake.makeAkeneoFake({ catalog, ...credentials, ...seed })
  const server = Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app))
  const pim = Layer.merge(AkeneoPim.layer(settings(config)), server)
  return { fake, pim }
}

const sku = (s: string) => Ids.Sku.make(s)

describe("AkeneoPim", () => {
  it.live("maps a two-level variant with inherited values", () => {
    const { pim } = setup()
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const product = Option.getOrThrow(yield* port.product(sku("Harbor-coat-navy-s")))
      expect(product.sku).toBe("Harbor-coat-navy-s")
      expect(product.productId).toBe("harbor-coat")
      expect(product.slug).toBe("harbor-coat")
      expect(product.name).toBe("Harbor coat")
      expect(product.description).toBe("Waxed cotton coat with a storm collar.")
      expect(product.attributes).toEqual({ color: "Navy", size: "S" })
      expect(product.categories).toEqual(["shop_outerwear", "brand_fjordline"])
      expect(product.listPrices.map(Money.toDecimal)).toEqual(["189.00"])
      expect(product.listPrices[0]?.currency).toBe("EUR")
      expect(product.enabled).toBe(true)
      expect(product.updatedAt).toEqual(new Date("2024-01-02T03:04:05Z"))
    }).pipe(Effect.provide(pim))
  })

  it.live("walks the parent chain when root_parent is absent", () => {
    const { fake, pim } = setup({ omitRootParent: true })
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const product = Option.getOrThrow(yield* port.product(sku("harbor-coat-sand-l")))
      expect(product.productId).toBe("harbor-coat")
      expect(product.listPrices.map(Money.toDecimal)).toEqual(["179.50"])
      expect(fake.requests.filter((r) => r.includes("/product-models/"))).toEqual([
        "GET /api/rest/v1/product-models/harbor-coat-sand",
        "GET /api/rest/v1/product-models/harbor-coat"
      ])
    }).pipe(Effect.provide(pim))
  })

  it.live("finds no product for an unknown sku", () => {
    const { pim } = setup()
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      expect(yield* port.product(sku("no-such-sku"))).toEqual(Option.none())
    }).pipe(Effect.provide(pim))
  })

  it.live("pages through every product with _links.next", () => {
    const { fake, pim } = setup()
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const skus: Array<string> = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page: Pim.Page<Pim.Product> = yield* port.products({
          limit: 3,
          ...(cursor === undefined ? {} : { cursor })
        })
        skus.push(...page.items.map((p) => p.sku))
        cursor = Option.getOrUndefined(page.next)
        pages++
      } while (cursor !== undefined)
      expect(pages).toBe(4)
      expect(skus).toEqual(catalog.variants.map((v) => v.sku))
      const listings = fake.requests.filter((r) => r.startsWith("GET /api/rest/v1/products-uuid"))
      expect(listings[1]).toContain("page=2")
      expect(listings[1]).toContain("limit=3")
    }).pipe(Effect.provide(pim))
  })

  it.live("lists a category with its children", () => {
    const { fake, pim } = setup()
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const code = Ids.CategoryCode.make
      const shoes = yield* port.products({ category: code("shop_footwear") })
      expect(shoes.items.map((p) => p.sku)).toEqual([
        "trail-runner-40",
        "trail-runner-42",
        "trail-runner-44"
      ])
      expect(shoes.items.map((p) => p.attributes["eu_shoes_size"])).toEqual(["40", "42", "44"])
      const shop = yield* port.products({ category: code("shop") })
      expect(shop.items).toHaveLength(10)
      const brand = yield* port.products({ category: code("brand_fjordline") })
      expect(brand.items).toHaveLength(7)
      const search = new URL(
        baseUrl + (fake.requests.find((r) => r.includes("search")) ?? "").slice(4)
      )
      expect(JSON.parse(search.searchParams.get("search") ?? "")).toEqual({
        categories: [{ operator: "IN CHILDREN", value: ["shop_footwear"] }]
      })
    }).pipe(Effect.provide(pim))
  })

  it.live("reads the category tree", () => {
    const { pim } = setup()
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const categories = yield* port.categories
      expect(categories).toHaveLength(5)
      expect(categories.find((c) => c.code === "shop_shirts")).toMatchObject({
        parent: "shop",
        label: "Shirts"
      })
    }).pipe(Effect.provide(pim))
  })

  it.live("lists products changed since an instant, that instant included", () => {
    const { fake, pim } = setup()
    const at = new Date("2024-06-01T10:00:00Z")
    fake.touch("trail-runner-42", at)
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const changed = yield* port.changedSince(at)
      expect(changed.map((p) => p.sku)).toEqual(["trail-runner-42"])
      expect(yield* port.changedSince(new Date("2024-06-01T10:00:01Z"))).toEqual([])
    }).pipe(Effect.provide(pim))
  })

  it.live("keeps one token and renews it with the refresh token", () => {
    const { fake, pim } = setup()
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      yield* port.product(sku("linen-shirt-s"))
      yield* port.product(sku("linen-shirt-m"))
      expect(fake.grants).toEqual({ password: 1, refresh_token: 0 })
      fake.expireTokens()
      const product = yield* port.product(sku("linen-shirt-m"))
      expect(Option.isSome(product)).toBe(true)
      expect(fake.grants).toEqual({ password: 1, refresh_token: 1 })
    }).pipe(Effect.provide(pim))
  })

  it.live("renews a token that expires on its own", () => {
    const { fake, pim } = setup({ tokenTtlSeconds: 61 })
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      yield* port.product(sku("linen-shirt-s"))
      yield* Effect.sleep("1100 millis")
      yield* port.product(sku("linen-shirt-s"))
      expect(fake.grants).toEqual({ password: 1, refresh_token: 1 })
    }).pipe(Effect.provide(pim))
  })

  it.live("types a refused login as Unauthorized", () => {
    const { pim } = setup({}, { password: Redacted.make("wrong") })
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const error = yield* Effect.flip(port.product(sku("linen-shirt-s")))
      expect(error).toBeInstanceOf(Pim.PimError)
      expect(error.reason).toBe("Unauthorized")
      expect(error.detail).toContain("No user found")
    }).pipe(Effect.provide(pim))
  })

  it.live("types a 401 that survives renewal as Unauthorized", () => {
    const { fake, pim } = setup()
    const refused = {
      status: 401,
      body: { code: 401, message: "The access token provided is invalid." }
    }
    fake.failNext(refused, refused)
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const error = yield* Effect.flip(port.categories)
      expect(error.reason).toBe("Unauthorized")
      expect(fake.grants.refresh_token).toBe(1)
    }).pipe(Effect.provide(pim))
  })

  it.live("waits out a 429's Retry-After, then succeeds", () => {
    const { fake, pim } = setup()
    fake.failNext({
      status: 429,
      body: { code: 429, message: "Too many requests" },
      headers: { "retry-after": "1" }
    })
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const started = Date.now()
      const categories = yield* port.categories
      expect(categories).toHaveLength(5)
      expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    }).pipe(Effect.provide(pim))
  })

  it.live("types a 429 that persists as RateLimited", () => {
    const { fake, pim } = setup()
    const limited = {
      status: 429,
      body: { code: 429, message: "Too many requests" },
      headers: { "retry-after": "0" }
    }
    fake.failNext(limited, limited, limited, limited)
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const error = yield* Effect.flip(port.categories)
      expect(error.reason).toBe("RateLimited")
    }).pipe(Effect.provide(pim))
  })
})

describe("AkeneoClient", () => {
  const client = (fake: AkeneoFake.AkeneoFake) =>
    Layer.merge(
      AkeneoClient.layer(settings()).pipe(Layer.provide(FetchHttpClient.layer)),
      Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app))
    )

  it.live("types a limit over 100 as Unprocessable with Akeneo's message", () => {
    const fake = AkeneoFake.makeAkeneoFake({ catalog, ...credentials })
    return Effect.gen(function* () {
      const akeneo = yield* AkeneoClient.AkeneoClient
      const error = yield* Effect.flip(
        akeneo.page("/api/rest/v1/categories", Schema.Unknown, { limit: 500 })
      )
      expect(error.reason).toBe("Unprocessable")
      expect(error.status).toBe(422)
      expect(error.detail).toBe("You cannot request more than 100 items.")
    }).pipe(Effect.provide(client(fake)))
  })

  it.live("keeps a 422's field errors", () => {
    const fake = AkeneoFake.makeAkeneoFake({ catalog, ...credentials })
    fake.failNext({
      status: 422,
      body: {
        code: 422,
        message: "Validation failed.",
        errors: [{ property: "values", attribute: "price", message: "Not a number." }]
      }
    })
    return Effect.gen(function* () {
      const akeneo = yield* AkeneoClient.AkeneoClient
      const error = yield* Effect.flip(akeneo.get("/api/rest/v1/categories", Schema.Unknown))
      expect(error.reason).toBe("Unprocessable")
      expect(error.fieldErrors).toEqual(["values: Not a number."])
      expect(error.message).toContain("Validation failed.")
    }).pipe(Effect.provide(client(fake)))
  })

  it.live("types a malformed search as BadRequest and a missing model as NotFound", () => {
    const fake = AkeneoFake.makeAkeneoFake({ catalog, ...credentials })
    return Effect.gen(function* () {
      const akeneo = yield* AkeneoClient.AkeneoClient
      const bad = yield* Effect.flip(
        akeneo.page("/api/rest/v1/products-uuid", Schema.Unknown, { search: "{not json" })
      )
      expect(bad.reason).toBe("BadRequest")
      const missing = yield* Effect.flip(
        akeneo.get("/api/rest/v1/product-models/nope", Schema.Unknown)
      )
      expect(missing.reason).toBe("NotFound")
    }).pipe(Effect.provide(client(fake)))
  })

  it.live("retries a 503 and types a decode failure", () => {
    const fake = AkeneoFake.makeAkeneoFake({ catalog, ...credentials })
    fake.failNext({ status: 503, body: { code: 503, message: "Maintenance" } })
    return Effect.gen(function* () {
      const akeneo = yield* AkeneoClient.AkeneoClient
      const error = yield* Effect.flip(
        akeneo.get(
          "/api/rest/v1/product-models/harbor-coat",
          Schema.Struct({ code: Schema.Number })
        )
      )
      expect(error.reason).toBe("Decode")
      expect(fake.requests.filter((r) => r.includes("harbor-coat"))).toHaveLength(2)
    }).pipe(Effect.provide(client(fake)))
  })
})

describe("Akeneo values", () => {
  const value = (data: unknown, extra: object = {}) => ({
    locale: null,
    scope: null,
    data,
    ...extra
  })

  it("reads price amounts as strings, numbers or null", () => {
    const { prices, skipped } = AkeneoPim.listPrices(
      value([
        { amount: "15.50", currency: "EUR" },
        { amount: 15, currency: "USD" },
        { amount: null, currency: "GBP" },
        { amount: "1500", currency: "JPY" },
        { amount: "3", currency: "XQQ" }
      ])
    )
    expect(prices.map((m) => [m.currency, Money.toDecimal(m)])).toEqual([
      ["EUR", "15.50"],
      ["USD", "15.00"],
      ["JPY", "1500"]
    ])
    expect(skipped).toEqual(["unknown currency XQQ"])
  })

  it("refuses a price finer than the currency's minor unit", () => {
    const { prices, skipped } = AkeneoPim.listPrices(value([{ amount: "9.999", currency: "EUR" }]))
    expect(prices).toEqual([])
    expect(skipped[0]).toContain("More decimals")
  })

  it("shows options by label, metrics with their unit", () => {
    const option = value("xl", {
      linked_data: { attribute: "size", code: "xl", labels: { en_US: "XL", fr_FR: "TG" } }
    })
    expect(AkeneoPim.display(option, "en_US")).toBe("XL")
    expect(AkeneoPim.display(option, "de_DE")).toBe("xl")
    expect(AkeneoPim.display(value({ amount: "32.0000", unit: "INCH" }), "en_US")).toBe("32 INCH")
  })

  it("prefers the locale and channel, then unlocalized values", () => {
    const values = {
      description: [
        { locale: "en_US", scope: "mobile", data: "Short" },
        { locale: "en_US", scope: "ecommerce", data: "Long" },
        { locale: "fr_FR", scope: "ecommerce", data: "Longue" }
      ],
      name: [{ locale: null, scope: null, data: "Name" }]
    }
    expect(AkeneoPim.pick(values, "description", "en_US", "ecommerce")?.data).toBe("Long")
    expect(AkeneoPim.pick(values, "description", "de_DE", "ecommerce")).toBeUndefined()
    expect(AkeneoPim.pick(values, "name", "de_DE", "print")?.data).toBe("Name")
  })

  it("formats dates for Akeneo's filters in UTC", () => {
    expect(AkeneoPim.formatDate(new Date("2024-06-01T10:00:00.250Z"))).toBe("2024-06-01 10:00:00")
  })
})
