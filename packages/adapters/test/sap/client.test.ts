import { describe, expect, layer } from "@effect/vitest"
import { Erp, Ids, PricingContext } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { SapFake } from "@mercantile/testkit"
import * as SapClient from "../../src/sap/SapClient"
import * as SapSchema from "../../src/sap/SapSchema"
import * as Orders from "../internal/Orders"
import { clientLayer, erpLayer, makeFake } from "./harness"

const at = Orders.placedAt

/** One unit at EUR 4.20. */
const order = (id: string, sku: string) =>
  Orders.paidOrder(id, sku, { quantity: 1, unitPrice: "4.20" })

const eur = new PricingContext.PricingContext({
  currency: "EUR",
  region: PricingContext.Region.make("DE"),
  channel: PricingContext.Channel.make("web"),
  at
})

const item = (sku: string) => ({
  sku,
  name: sku,
  prices: { EUR: "4.20" },
  stock: [{ location: "1010-0001", available: 8 }]
})

describe("SAP", () => {
  const fake = makeFake()
  fake.seed([item("TG11"), item("TG12"), item("TG13")])

  layer(erpLayer(fake), { excludeTestServices: true })("orders", (it) => {
    it.effect(
      "a stale CSRF token is fetched again, with its cookies, and the call sent once more",
      () =>
        Effect.gen(function* () {
          const orders = yield* Erp.ErpOrders
          yield* orders.record(order("csrf-1", "TG11"))
          const before = fake.requests().length

          fake.expireSessions()
          const second = yield* orders.record(order("csrf-2", "TG12"))

          const after = fake.requests().slice(before)
          const posts = after.filter((r) => r.method === "POST")
          expect(posts.map((r) => r.status)).toEqual([403, 201])
          expect(after.filter((r) => r.method === "GET" && r.path.endsWith("_SRV/"))).toHaveLength(
            1
          )
          expect(fake.orders().map((o) => o.SalesOrder)).toContain(second.erpReference)
        })
    )

    it.effect("a create that timed out after writing is found by lookup, not sent again", () =>
      Effect.gen(function* () {
        const orders = yield* Erp.ErpOrders
        const before = fake.requests().length
        fake.inject({ failNext: "timeoutAfterWrite" })

        const ref = yield* orders.record(order("tmo-1", "TG13"))

        const mine = fake.orders().filter((o) => o.PurchaseOrderByCustomer === "tmo-1")
        expect(mine.map((o) => o.SalesOrder)).toEqual([ref.erpReference])
        const posts = fake
          .requests()
          .slice(before)
          .filter((r) => r.method === "POST")
        expect(posts.map((r) => r.status)).toEqual([504])
      })
    )

    it.effect("an unknown material is rejected with SAP's message", () =>
      Effect.gen(function* () {
        const orders = yield* Erp.ErpOrders
        const error = yield* Effect.flip(orders.record(order("bad-1", "NOPE-1")))
        expect(error.reason).toBe("Rejected")
        expect(error.detail).toContain("M3/305")
        expect(error.detail).toContain("NOPE-1")
      })
    )

    it.effect("a 429 on a read is retried after Retry-After", () =>
      Effect.gen(function* () {
        const stock = yield* Erp.ErpStock
        fake.inject({ failNext: "429", retryAfterSeconds: 0 })
        const levels = yield* stock.levels([Ids.Sku.make("TG11")])
        expect(levels.map((l) => [l.locationId, l.available])).toEqual([["1010-0001", 8]])
        expect(fake.requests().some((r) => r.status === 429)).toBe(true)
      })
    )

    it.effect("blocked stock is not sold and rows are summed per location over pages", () =>
      Effect.gen(function* () {
        fake.setStock("TG12", "1010-0002", 4)
        fake.setStock("TG12", "1020", 1)
        const stock = yield* Erp.ErpStock
        const levels = yield* stock.levels([Ids.Sku.make("TG12"), Ids.Sku.make("TG11")])
        const byKey = Object.fromEntries(
          levels.map((l) => [`${l.sku}@${l.locationId}`, l.available])
        )
        expect(byKey).toEqual({
          "TG11@1010-0001": 8,
          "TG12@1010-0001": 8,
          "TG12@1010-0002": 4,
          "TG12@1020": 1
        })
      })
    )

    it.effect("a negative or non-numeric price is a Decode error naming the material", () =>
      Effect.gen(function* () {
        const prices = yield* Erp.ErpPrices
        fake.seed([{ ...item("NEG-1"), prices: { EUR: "-1.00" } }])
        fake.seed([{ ...item("NAN-1"), prices: { EUR: "twelve" } }])

        const negative = yield* Effect.flip(prices.lists([Ids.Sku.make("NEG-1")], eur))
        const garbage = yield* Effect.flip(prices.lists([Ids.Sku.make("NAN-1")], eur))

        expect([negative.reason, garbage.reason]).toEqual(["Decode", "Decode"])
        expect(negative.detail).toContain("NEG-1")
        expect(garbage.detail).toContain("NAN-1")
      })
    )
  })

  layer(clientLayer(fake, { retries: 0 }), { excludeTestServices: true })("client", (it) => {
    it.effect("an XML error body is decoded into a typed error", () =>
      Effect.gen(function* () {
        const client = yield* SapClient.SapClient
        const error = yield* Effect.flip(
          client.getAll("API_SALES_ORDER_SRV", "A_NoSuchSet", SapSchema.SalesOrder)
        )
        expect(error.reason).toBe("NotFound")
        expect(error.detail).toContain("/IWBEP/CM_MGW_RT/020: Resource not found")
      })
    )

    it.effect("a 500 in XML is Unavailable with SAP's message", () =>
      Effect.gen(function* () {
        const client = yield* SapClient.SapClient
        fake.inject({ failNext: "500" })
        const error = yield* Effect.flip(
          client.getAll("API_SALES_ORDER_SRV", "A_SalesOrder", SapSchema.SalesOrder)
        )
        expect(error.reason).toBe("Unavailable")
        expect(error.detail).toContain("Runtime error: internal server error")
      })
    )

    it.effect("updates send the ETag; a stale one is refused", () =>
      Effect.gen(function* () {
        const client = yield* SapClient.SapClient
        const salesOrder = fake.orders()[0]?.SalesOrder ?? ""
        const path = `A_SalesOrder('${salesOrder}')`
        const read = yield* client.get("API_SALES_ORDER_SRV", path, SapSchema.SalesOrder)
        const etag = Option.getOrThrow(read.etag)

        yield* client.patch("API_SALES_ORDER_SRV", path, { ShippingCondition: "02" }, etag)
        const stale = yield* Effect.flip(
          client.patch("API_SALES_ORDER_SRV", path, { ShippingCondition: "03" }, etag)
        )

        expect(stale.reason).toBe("Rejected")
        expect(stale.detail).toContain("412")
      })
    )

    it.effect("a collection is read across __next pages", () =>
      Effect.gen(function* () {
        const client = yield* SapClient.SapClient
        fake.seed([
          {
            ...item("PAGE-1"),
            stock: ["1010-0001", "1010-0002", "1010-0003"].map((location) => ({
              location,
              available: 1
            }))
          }
        ])
        const rows = yield* client.getAll(
          "API_MATERIAL_STOCK_SRV",
          "A_MatlStkInAcctMod?$filter=Material%20eq%20'PAGE-1'",
          SapSchema.MaterialStock
        )
        expect(rows.map((r) => `${r.StorageLocation}/${r.InventoryStockType}`)).toEqual([
          "0001/01",
          "0001/07",
          "0002/01",
          "0002/07",
          "0003/01",
          "0003/07"
        ])
      })
    )
  })

  layer(
    clientLayer(fake, {
      auth: { _tag: "Basic", username: "COMM_USER", password: Redacted.make("wrong") }
    }),
    {
      excludeTestServices: true
    }
  )("bad credentials", (it) => {
    it.effect("are Unauthorized", () =>
      Effect.gen(function* () {
        const client = yield* SapClient.SapClient
        const error = yield* Effect.flip(
          client.getAll("API_SALES_ORDER_SRV", "A_SalesOrder", SapSchema.SalesOrder)
        )
        expect(error.reason).toBe("Unauthorized")
      })
    )
  })

  const sandbox = SapFake.makeSapFake({ items: [item("KEY-1")], apiKey: "sandbox-key" })

  layer(clientLayer(sandbox, { auth: { _tag: "ApiKey", apiKey: Redacted.make("sandbox-key") } }), {
    excludeTestServices: true
  })("API key", (it) => {
    it.effect("an APIKey header replaces Basic auth", () =>
      Effect.gen(function* () {
        const client = yield* SapClient.SapClient
        const rows = yield* client.getAll(
          "API_MATERIAL_STOCK_SRV",
          "A_MatlStkInAcctMod",
          SapSchema.MaterialStock
        )
        expect(rows.map((r) => r.Material)).toEqual(["KEY-1", "KEY-1"])
      })
    )
  })
})
