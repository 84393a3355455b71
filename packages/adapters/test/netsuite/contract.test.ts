/**
 * The ERP contract against the real NetSuite adapter, through the NetSuite
 * fake over msw; then the faults the fake can play on an order write, each
 * survived with exactly one sales order in NetSuite.
 */
import { expect, layer } from "@effect/vitest"
import { Erp, Webhook } from "@mercantile/domain"
import { Msw, NetSuiteFake } from "@mercantile/testkit"
import * as ErpContract from "@mercantile/testkit/contracts/Erp"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as NetSuiteClient from "../../src/netsuite/NetSuiteClient"
import * as NetSuiteErp from "../../src/netsuite/NetSuiteErp"
import * as Orders from "../internal/Orders"

const account = {
  accountId: "7654321_SB2",
  consumerKey: "contract-consumer",
  consumerSecret: "contract-consumer-secret",
  tokenId: "contract-token",
  tokenSecret: "contract-token-secret",
  webhookSecret: "contract-webhook-secret"
}

const baseUrl = "https://7654321-sb2.suitetalk.api.netsuite.com"

const settings: NetSuiteClient.Settings & NetSuiteErp.Options = {
  accountId: account.accountId,
  consumerKey: Redacted.make(account.consumerKey),
  consumerSecret: Redacted.make(account.consumerSecret),
  tokenId: Redacted.make(account.tokenId),
  tokenSecret: Redacted.make(account.tokenSecret),
  webhookSecret: Redacted.make(account.webhookSecret),
  baseUrl,
  timeout: "1 second",
  retries: 3
}

/** A fault armed for the next sales order POST, whatever reads come before it. */
interface Armed {
  /** Injected into the fake just before the POST reaches it. */
  readonly inject?: NetSuiteFake.Injection
  /** The POST is written by the fake, and its answer replaced by this 5xx. */
  readonly replaceAnswer?: number
}

const isOrderPost = (request: Request) =>
  request.method === "POST" && new URL(request.url).pathname.endsWith("/record/v1/salesOrder")

/** The fake behind msw, with a fault that waits for the sales order POST. */
const harness = () => {
  const fake = NetSuiteFake.makeNetSuiteFake({ ...account, items: [] })
  let armed: Armed | undefined
  const app: Msw.FetchApp = {
    fetch: async (request) => {
      const fault = isOrderPost(request) ? armed : undefined
      if (fault === undefined) return fake.app.fetch(request)
      armed = undefined
      if (fault.inject !== undefined) fake.inject(fault.inject)
      const answer = await fake.app.fetch(request)
      return fault.replaceAnswer === undefined
        ? answer
        : Response.json({ title: "Bad Gateway", status: 502 }, { status: fault.replaceAnswer })
    }
  }
  const erp = Layer.merge(
    NetSuiteErp.layer(settings),
    Msw.layer(...Msw.toMswHandlers(baseUrl, app))
  )
  const arm = (fault: Armed) =>
    Effect.sync(() => {
      armed = fault
    })
  return { fake, erp, arm }
}

const contract = harness()
const { fake } = contract

const ordersOf = (target: NetSuiteFake.NetSuiteFake, orderId: string) =>
  target.orders().filter((o) => o.externalId === orderId)

const raw = (hook: { readonly headers: Record<string, string>; readonly body: string }) =>
  Webhook.make(Object.entries(hook.headers), hook.body)

ErpContract.erpContract("NetSuite through its fake", contract.erp, {
  seed: (items) => Effect.sync(() => fake.seed(items)),
  setStock: (sku, location, available) =>
    Effect.sync(() => fake.setStock(sku, location, available)),
  setPrice: (sku, currency, amount) => Effect.sync(() => fake.setPrice(sku, currency, amount)),
  ordersFor: (orderId) => Effect.sync(() => ordersOf(fake, orderId).length),
  timeoutAfterWrite: Effect.sync(() => fake.inject({ failNext: "timeoutAfterWrite" })),
  notification: (change) =>
    Effect.sync(() => {
      switch (change._tag) {
        case "StockChanged":
          return raw(fake.notification("inventory.changed", { sku: change.sku }))
        case "PriceChanged":
          return raw(fake.notification("price.changed", { sku: change.sku }))
        case "OrderStatusChanged": {
          const [order] = ordersOf(fake, change.orderId)
          return raw(
            fake.notification("order.status_changed", {
              externalId: change.orderId,
              id: order?.id ?? "0",
              status: "pendingFulfillment"
            })
          )
        }
      }
    })
})

const faults = harness()

/** Three units at EUR 24.90. */
const paidOrder = (id: string, sku: string) =>
  Orders.paidOrder(id, sku, { quantity: 3, unitPrice: "24.90" })

/** The statuses of the sales order POSTs answered since `from`. */
const postsSince = (from: number) =>
  faults.fake
    .requests()
    .slice(from)
    .filter((r) => r.method === "POST" && r.path.endsWith("/salesOrder"))
    .map((r) => r.status)

layer(faults.erp, { excludeTestServices: true, timeout: "60 seconds" })(
  "NetSuite order faults",
  (it) => {
    it.effect("a 429 with Retry-After on the create waits, retries, and writes once", () =>
      Effect.gen(function* () {
        faults.fake.seed([{ sku: "F-429", name: "Lamp", prices: {}, stock: [] }])
        const orders = yield* Erp.ErpOrders
        const order = paidOrder("ORD-F-429", "F-429")
        const from = faults.fake.requests().length

        yield* faults.arm({ inject: { failNext: "429", retryAfterSeconds: 1 } })
        const started = Date.now()
        const ref = yield* orders.record(order)

        expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
        expect(postsSince(from)).toEqual([429, 204])
        expect(ordersOf(faults.fake, order.id).map((o) => o.id)).toEqual([ref.erpReference])
        expect(yield* orders.find(order.id)).toEqual(Option.some(ref))
      })
    )

    it.effect("a 5xx before the write is retried and writes once", () =>
      Effect.gen(function* () {
        faults.fake.seed([{ sku: "F-500", name: "Rug", prices: {}, stock: [] }])
        const orders = yield* Erp.ErpOrders
        const order = paidOrder("ORD-F-500", "F-500")
        const from = faults.fake.requests().length

        yield* faults.arm({ inject: { failNext: "500" } })
        const ref = yield* orders.record(order)

        expect(postsSince(from)).toEqual([500, 204])
        expect(ordersOf(faults.fake, order.id).map((o) => o.id)).toEqual([ref.erpReference])
      })
    )

    it.effect("a 5xx after the write is retried onto the same record", () =>
      Effect.gen(function* () {
        faults.fake.seed([{ sku: "F-502", name: "Vase", prices: {}, stock: [] }])
        const orders = yield* Erp.ErpOrders
        const order = paidOrder("ORD-F-502", "F-502")
        const from = faults.fake.requests().length

        yield* faults.arm({ replaceAnswer: 502 })
        const ref = yield* orders.record(order)

        // The fake wrote and answered both POSTs; the first answer never reached the adapter.
        expect(postsSince(from)).toEqual([204, 204])
        expect(ordersOf(faults.fake, order.id).map((o) => o.id)).toEqual([ref.erpReference])
        expect(yield* orders.record(order)).toEqual(ref)
        expect(ordersOf(faults.fake, order.id)).toHaveLength(1)
      })
    )

    it.effect("a timeout after the write is Timeout, then found, never written twice", () =>
      Effect.gen(function* () {
        faults.fake.seed([{ sku: "F-TMO", name: "Stool", prices: {}, stock: [] }])
        const orders = yield* Erp.ErpOrders
        const order = paidOrder("ORD-F-TMO", "F-TMO")
        const from = faults.fake.requests().length

        yield* faults.arm({ inject: { failNext: "timeoutAfterWrite" } })
        const error = yield* Effect.flip(orders.record(order))
        const ref = yield* orders.record(order)

        expect(error.reason).toBe("Timeout")
        expect(postsSince(from)).toHaveLength(1)
        expect(ordersOf(faults.fake, order.id).map((o) => o.id)).toEqual([ref.erpReference])
        expect(yield* orders.find(order.id)).toEqual(Option.some(ref))
      })
    )
  }
)
