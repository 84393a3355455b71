import { describe, expect, it } from "@effect/vitest"
import { Pim } from "@mercantile/domain"
import { AkeneoFake, Catalog, FakeServer, SharedData } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as AkeneoPim from "../../src/akeneo/AkeneoPim"

const dir = SharedData.requireShared("catalog", "akeneo-icecat-demo")
const credentials = { clientId: "icecat", secret: "s", username: "admin", password: "admin" }

describe.runIf(dir !== undefined)("akeneo icecat demo over HTTP", () => {
  it.live("serves the whole demo and maps it as the CSV loader reads it", () =>
    Effect.gen(function* () {
      const catalog = yield* Catalog.load(dir ?? "")
      const fake = AkeneoFake.makeAkeneoFake({ catalog, ...credentials, omitRootParent: true })
      const served = yield* Effect.acquireRelease(
        Effect.promise(() => FakeServer.serve(fake.app, 0)),
        (s) => Effect.promise(() => s.close())
      )
      const products = yield* Effect.gen(function* () {
        const port = yield* Pim.Pim
        const all: Array<Pim.Product> = []
        let cursor: string | undefined
        do {
          const page: Pim.Page<Pim.Product> = yield* port.products({
            limit: 100,
            ...(cursor === undefined ? {} : { cursor })
          })
          all.push(...page.items)
          cursor = Option.getOrUndefined(page.next)
        } while (cursor !== undefined)
        return all
      }).pipe(
        Effect.provide(
          AkeneoPim.layer({
            baseUrl: served.url,
            clientId: credentials.clientId,
            secret: Redacted.make(credentials.secret),
            username: credentials.username,
            password: Redacted.make(credentials.password),
            locale: "en_US",
            channel: "ecommerce"
          })
        )
      )

      expect(products).toHaveLength(240)
      expect(products.filter((p) => p.listPrices.some((m) => m.currency === "EUR"))).toHaveLength(
        186
      )
      for (const variant of catalog.variants) {
        const product = products.find((p) => p.sku === variant.sku)
        expect(product, variant.sku).toBeDefined()
        expect(product?.productId).toBe(variant.rootModel)
        expect(product?.slug).toBe(variant.slug)
        expect(product?.name).toBe(variant.name)
        expect(product?.attributes).toEqual(variant.attributes)
      }
    }).pipe(Effect.scoped)
  )
})
