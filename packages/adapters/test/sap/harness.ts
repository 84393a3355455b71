/**
 * The SAP adapter wired to the SAP fake through msw, and the contract
 * control that moves the fake.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type { Ids } from "@mercantile/domain"
import { Webhook } from "@mercantile/domain"
import { Msw, SapFake } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type { ErpContractControl } from "../../../testkit/src/contracts/Erp"
import * as SapClient from "../../src/sap/SapClient"
import * as SapErp from "../../src/sap/SapErp"

export const baseUrl = "https://fake-sap.test"

export const meshUser = { username: "EVENT_MESH", password: "mesh-secret" }

export const options: SapErp.Options = {
  baseUrl,
  auth: { _tag: "Basic", username: "COMM_USER", password: Redacted.make("secret") },
  timeout: "400 millis",
  retries: 2,
  salesOrganization: "1010",
  distributionChannel: "10",
  division: "00",
  soldToParty: "10100001",
  plants: [],
  pricesIncludeTax: false,
  webhook: { username: meshUser.username, password: Redacted.make(meshUser.password) }
}

/** A fake with small pages, so every read crosses `__next`. */
export const makeFake = () => SapFake.makeSapFake({ items: [], pageSize: 2, hangMs: 2000 })

/** msw routing to the fake, for the life of a layer. */
export const mswLayer = (fake: SapFake.SapFake) =>
  Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app))

/** The ERP ports on SAP, through the fake. */
export const erpLayer = (fake: SapFake.SapFake, overrides: Partial<SapErp.Options> = {}) =>
  Layer.merge(
    SapErp.layer({ ...options, ...overrides }).pipe(Layer.provide(FetchHttpClient.layer)),
    mswLayer(fake)
  )

/** The SAP client alone, through the fake. */
export const clientLayer = (fake: SapFake.SapFake, overrides: Partial<SapClient.Options> = {}) =>
  Layer.merge(
    SapClient.layer({ ...options, ...overrides }).pipe(Layer.provide(FetchHttpClient.layer)),
    mswLayer(fake)
  )

/** A CloudEvent as Event Mesh pushes it, with its Basic credentials. */
export const cloudEvent = (
  type: string,
  data: Record<string, string>,
  id: string,
  credentials: { username: string; password: string } | undefined = meshUser
) =>
  Webhook.make(
    [
      ["Content-Type", "application/cloudevents+json"],
      ...(credentials === undefined
        ? []
        : [
            [
              "Authorization",
              `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`
            ] as const
          ])
    ],
    JSON.stringify({
      specversion: "1.0",
      type,
      source: "/default/sap.s4.beh/FAKCLNT100",
      id,
      time: "2026-01-15T12:00:00Z",
      datacontenttype: "application/json",
      data
    })
  )

/** The contract's control over the fake. */
export const control = (fake: SapFake.SapFake): ErpContractControl<never> => ({
  seed: (items) => Effect.sync(() => fake.seed(items)),
  setStock: (sku, location, available) =>
    Effect.sync(() => fake.setStock(sku, location, available)),
  setPrice: (sku, currency, amount) => Effect.sync(() => fake.setPrice(sku, currency, amount)),
  ordersFor: (orderId: Ids.OrderId) =>
    Effect.sync(() => fake.orders().filter((o) => o.PurchaseOrderByCustomer === orderId).length),
  timeoutAfterWrite: Effect.sync(() => fake.inject({ failNext: "timeoutAfterWrite" })),
  notification: (change) =>
    Effect.sync(() => {
      switch (change._tag) {
        case "StockChanged":
          return cloudEvent(
            "sap.s4.beh.materialstock.v1.MaterialStock.Changed.v1",
            { Material: change.sku, Plant: "1010", StorageLocation: "0001" },
            `stock-${change.sku}`
          )
        case "PriceChanged":
          return cloudEvent(
            "sap.s4.beh.slsprcgcndnrecd.v1.SlsPrcgCndnRecd.Changed.v1",
            { ConditionRecord: fake.conditionRecordOf(change.sku, "EUR") ?? "0000000000" },
            `price-${change.sku}`
          )
        case "OrderStatusChanged": {
          const order = fake.orders().find((o) => o.PurchaseOrderByCustomer === change.orderId)
          return cloudEvent(
            "sap.s4.beh.salesorder.v1.SalesOrder.Changed.v1",
            { SalesOrder: order?.SalesOrder ?? "0" },
            `order-${change.orderId}`
          )
        }
      }
    })
})
