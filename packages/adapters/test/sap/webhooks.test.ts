import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import { Erp, Ids, Webhook } from "@mercantile/domain"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SapErp from "../../src/sap/SapErp"
import { baseUrl, cloudEvent, erpLayer, makeFake, meshUser, mswLayer } from "./harness"

const productChanged = (credentials?: { username: string; password: string }) =>
  cloudEvent(
    "sap.s4.beh.product.v1.Product.Changed.v1",
    { Product: "TG11" },
    "0a1b2c3d-product",
    credentials
  )

describe("SAP notifications", () => {
  const fake = makeFake()

  layer(erpLayer(fake), { excludeTestServices: true })("decode", (it) => {
    it.effect("a product event gives a price and a stock change with distinct ids", () =>
      Effect.gen(function* () {
        const webhooks = yield* Erp.ErpWebhooks
        const events = yield* webhooks.decode(productChanged())
        expect(events.map((e) => [e._tag, e.eventId, e.occurredAt.toISOString()])).toEqual([
          ["PriceChanged", "0a1b2c3d-product#price", "2026-01-15T12:00:00.000Z"],
          ["StockChanged", "0a1b2c3d-product#stock", "2026-01-15T12:00:00.000Z"]
        ])
      })
    )

    it.effect("no Authorization is a missing signature, a wrong one a bad signature", () =>
      Effect.gen(function* () {
        const webhooks = yield* Erp.ErpWebhooks
        const missing = yield* Effect.flip(
          webhooks.decode(Webhook.make([], Webhook.text(productChanged())))
        )
        const wrong = yield* Effect.flip(
          webhooks.decode(productChanged({ username: meshUser.username, password: "guess" }))
        )
        expect([missing.reason, wrong.reason]).toEqual(["MissingSignature", "BadSignature"])
      })
    )

    it.effect("an event type the adapter does not know is Unsupported", () =>
      Effect.gen(function* () {
        const webhooks = yield* Erp.ErpWebhooks
        const error = yield* Effect.flip(
          webhooks.decode(
            cloudEvent(
              "sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1",
              { BusinessPartner: "1" },
              "bp-1"
            )
          )
        )
        expect(error.reason).toBe("Unsupported")
      })
    )

    it.effect("a sales order that is not a web order gives no event", () =>
      Effect.gen(function* () {
        const webhooks = yield* Erp.ErpWebhooks
        const events = yield* webhooks.decode(
          cloudEvent("sap.s4.beh.salesorder.v1.SalesOrder.Created.v1", { SalesOrder: "1" }, "so-1")
        )
        expect(events).toEqual([])
      })
    )
  })

  layer(
    Layer.merge(
      SapErp.layerConfig.pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(
          Layer.setConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["SAP_BASE_URL", baseUrl],
                ["SAP_USERNAME", "COMM_USER"],
                ["SAP_PASSWORD", "secret"],
                ["SAP_SALES_ORGANIZATION", "1010"],
                ["SAP_DISTRIBUTION_CHANNEL", "10"],
                ["SAP_DIVISION", "00"],
                ["SAP_SOLD_TO_PARTY", "10100001"],
                ["SAP_PLANTS", "1010,1020"]
              ])
            )
          )
        )
      ),
      mswLayer(fake)
    ),
    { excludeTestServices: true }
  )("layerConfig", (it) => {
    it.effect(
      "reads SAP_* settings; without webhook credentials every notification is refused",
      () =>
        Effect.gen(function* () {
          fake.seed([
            {
              sku: "CFG-1",
              name: "x",
              prices: {},
              stock: [
                { location: "1010-0001", available: 2 },
                { location: "1030-0001", available: 5 }
              ]
            }
          ])
          const stock = yield* Erp.ErpStock
          const webhooks = yield* Erp.ErpWebhooks

          const levels = yield* stock.levels([Ids.Sku.make("CFG-1")])
          const refused = yield* Effect.flip(webhooks.decode(productChanged()))

          expect(levels.map((l) => l.locationId)).toEqual(["1010-0001"])
          expect(refused.reason).toBe("BadSignature")
        })
    )
  })
})
