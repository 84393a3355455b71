import { describe, expect, it } from "@effect/vitest"
import { Ids, Money, Pim } from "@mercantile/domain"
import { Msw, SharedData } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as AkeneoPim from "../../src/akeneo/AkeneoPim"
import * as AkeneoSchema from "../../src/akeneo/AkeneoSchema"
import * as Fixtures from "./fixtures"

const dir = SharedData.requireShared("fixtures", "akeneo")

const fixture = (file: string) => Fixtures.read(dir, file)

const ModelWithVariants = Schema.Struct({
  family_variant: AkeneoSchema.FamilyVariant,
  root_product_model: AkeneoSchema.ProductModel,
  variant_product: AkeneoSchema.Product
})

/** Every fixture file and the schema the adapter reads it with. */
const checks: Record<string, Fixtures.Check> = {
  "attribute.json": Fixtures.decodes(AkeneoSchema.Attribute),
  "product_uuid.json": Fixtures.decodes(AkeneoSchema.Product),
  "products_uuid_list_page.json": Fixtures.decodes(AkeneoSchema.Page(AkeneoSchema.Product)),
  "product_model_with_variants.json": Fixtures.decodes(ModelWithVariants)
}

describe.runIf(dir !== undefined)("akeneo fixtures", () => {
  Fixtures.conform(dir, checks)

  it("reads values, prices and options of a UUID product", () => {
    const product = Schema.decodeUnknownSync(AkeneoSchema.Product)(fixture("product_uuid.json"))
    const at = (attribute: string) =>
      AkeneoPim.pick(product.values, attribute, "en_US", "ecommerce")
    expect(at("name")?.data).toBe("Top")
    expect(at("description")?.data).toBe("Summer top")
    const { prices, skipped } = AkeneoPim.listPrices(at(AkeneoPim.priceAttribute))
    expect(prices.map((m) => `${Money.toDecimal(m)} ${m.currency}`)).toEqual([
      "15.50 EUR",
      "15.00 USD"
    ])
    expect(skipped).toEqual([])
    const color = at("color")
    expect(color && AkeneoPim.display(color, "en_US")).toBe("Black")
    expect(color && AkeneoPim.display(color, "fr_FR")).toBe("Noir")
  })

  it("reads a page's next link and a variant's axes", () => {
    const page = Schema.decodeUnknownSync(AkeneoSchema.Page(AkeneoSchema.Product))(
      fixture("products_uuid_list_page.json")
    )
    expect(page._embedded.items).toHaveLength(3)
    expect(page._links.next?.href).toContain("page=4")
    const { family_variant, variant_product } = Schema.decodeUnknownSync(ModelWithVariants)(
      fixture("product_model_with_variants.json")
    )
    const axes = family_variant.variant_attribute_sets.flatMap((set) => set.axes)
    expect(axes).toEqual(["color", "size"])
    const weight = AkeneoPim.pick(variant_product.values, "weight", "en_US", "ecommerce")
    expect(weight && AkeneoPim.display(weight, "en_US")).toBe("800 GRAM")
  })

  it.live("maps the documented product through the real adapter", () => {
    const baseUrl = "https://docs.akeneo.test"
    const product = fixture("product_uuid.json")
    const server = Msw.layer(
      Msw.http.post(`${baseUrl}/api/oauth/v1/token`, () =>
        Msw.HttpResponse.json({
          access_token: "at",
          expires_in: 3600,
          token_type: "bearer",
          scope: null,
          refresh_token: "rt"
        })
      ),
      Msw.http.get(`${baseUrl}/api/rest/v1/products-uuid`, () =>
        Msw.HttpResponse.json({ _links: {}, current_page: 1, _embedded: { items: [product] } })
      )
    )
    const pim = AkeneoPim.layer({
      baseUrl,
      clientId: "c",
      secret: Redacted.make("s"),
      username: "u",
      password: Redacted.make("p"),
      locale: "en_US",
      channel: "ecommerce"
    })
    return Effect.gen(function* () {
      const port = yield* Pim.Pim
      const mapped = Option.getOrThrow(yield* port.product(Ids.Sku.make("top")))
      expect(mapped).toMatchObject({
        sku: "top",
        productId: "top",
        slug: "top",
        name: "Top",
        description: "Summer top",
        categories: ["summer_collection"],
        enabled: true
      })
      expect(mapped.listPrices.map(Money.toDecimal)).toEqual(["15.50", "15.00"])
      expect(mapped.updatedAt).toEqual(new Date("2016-06-25T17:56:12+02:00"))
    }).pipe(Effect.provide(Layer.merge(pim, server)))
  })
})
