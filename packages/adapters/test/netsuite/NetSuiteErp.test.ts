import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { expect, layer } from "@effect/vitest"
import { Erp, Ids, Money, Order, PricingContext, Webhook } from "@mercantile/domain"
import { Msw, NetSuiteFake } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as NetSuiteClient from "../../src/netsuite/NetSuiteClient"
import * as NetSuiteErp from "../../src/netsuite/NetSuiteErp"

const baseUrl = "https://1234567-sb1.suitetalk.api.netsuite.com"

const fake = NetSuiteFake.makeNetSuiteFake({
  accountId: "1234567_SB1",
  consumerKey: "consumer-key",
  consumerSecret: "consumer-secret",
  tokenId: "token-id",
  tokenSecret: "token-secret",
  webhookSecret: "webhook-secret",
  items: [
    {
      sku: "CHAIR-1",
      name: "Chair",
      prices: { EUR: "129.90", JPY: "18000", KWD: "6.331" },
      stock: [
        { location: "1", available: 4 },
        { location: "2", available: 0 }
      ]
    },
    {
      sku: "DESK-1",
      name: "Desk",
      prices: { EUR: "499.00" },
      stock: [{ location: "1", available: 12 }]
    },
    ...["A", "B", "C", "D", "E"].map((x) => ({
      sku: `PAGE-${x}`,
      name: `Page ${x}`,
      prices: {},
      stock: []
    }))
  ]
})

const settings = {
  accountId: "1234567_SB1",
  consumerKey: Redacted.make("consumer-key"),
  consumerSecret: Redacted.make("consumer-secret"),
  tokenId: Redacted.make("token-id"),
  tokenSecret: Redacted.make("token-secret"),
  baseUrl,
  concurrency: 2,
  timeout: "1 second",
  webhookSecret: Redacted.make("webhook-secret")
} as const

const client = NetSuiteClient.layer(settings).pipe(Layer.provide(FetchHttpClient.layer))

const suite = Layer.mergeAll(
  Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app)),
  NetSuiteErp.layerClient(settings).pipe(Layer.provideMerge(client))
)

const sku = (s: string) => Ids.Sku.make(s)

const eur = (amount: string) => Either.getOrThrow(Money.fromDecimal("EUR", amount))

const context = (currency: "EUR" | "KWD") =>
  new PricingContext.PricingContext({
    currency,
    region: PricingContext.Region.make("DE"),
    channel: PricingContext.Channel.make("web"),
    at: new Date("2026-01-15T12:00:00Z")
  })

const paidOrder = (id: string, lines: ReadonlyArray<[string, number]> = [["CHAIR-1", 2]]) => {
  const orderLines = lines.map(
    ([s, quantity]) =>
      new Order.OrderLine({
        sku: sku(s),
        name: s,
        quantity,
        unitPrice: eur("129.90"),
        total: Money.times(eur("129.90"), quantity),
        tax: Money.zero("EUR")
      })
  )
  const total = Money.sum(
    "EUR",
    orderLines.map((l) => l.total)
  )
  return new Order.Order({
    id: Ids.OrderId.make(id),
    cartId: Ids.CartId.make(`cart-${id}`),
    currency: "EUR",
    lines: orderLines,
    total,
    tax: Money.zero("EUR"),
    status: "Paid",
    createdAt: new Date("2026-01-15T12:00:00Z"),
    updatedAt: new Date("2026-01-15T12:00:00Z")
  })
}

const posts = () =>
  fake.requests().filter((r) => r.method === "POST" && r.path.endsWith("/salesOrder")).length

const ordersFor = (id: string) => fake.orders().filter((o) => o.externalId === id).length

const raw = (hook: { headers: Record<string, string>; body: string }) =>
  Webhook.make(Object.entries(hook.headers), hook.body)

layer(suite, { excludeTestServices: true })("NetSuiteErp", (it) => {
  it.effect("stock of many SKUs at every location in one query", () =>
    Effect.gen(function* () {
      const stock = yield* Erp.ErpStock
      const before = fake.requests().length

      const levels = yield* stock.levels([sku("CHAIR-1"), sku("DESK-1"), sku("GHOST-1")])

      expect(levels.map((l) => [l.sku, l.locationId, l.available])).toEqual([
        ["CHAIR-1", "1", 4],
        ["CHAIR-1", "2", 0],
        ["DESK-1", "1", 12]
      ])
      expect(levels.every((l) => typeof l.version === "bigint")).toBe(true)
      expect(fake.requests().length - before).toBe(1)
    })
  )

  it.effect("a stock move bumps the version", () =>
    Effect.gen(function* () {
      const stock = yield* Erp.ErpStock
      const [first] = yield* stock.levels([sku("DESK-1")])
      fake.setStock("DESK-1", "1", 11)
      const [second] = yield* stock.levels([sku("DESK-1")])

      expect(second?.available).toBe(11)
      expect(second!.version! > first!.version!).toBe(true)
    })
  )

  it.effect("SuiteQL follows every page and reads string values", () =>
    Effect.gen(function* () {
      const netsuite = yield* NetSuiteClient.NetSuiteClient
      const before = fake.requests().length
      const skus = ["A", "B", "C", "D", "E"].map((x) => `PAGE-${x}`)

      const rows = yield* netsuite.suiteql(
        "test",
        NetSuiteErp.itemQuery(skus),
        NetSuiteErp.ItemRow,
        {
          pageSize: 2
        }
      )

      expect(rows.map((r) => r.itemid)).toEqual(skus)
      expect(rows.every((r) => typeof r.id === "string" && /^\d+$/.test(r.id))).toBe(true)
      expect(fake.requests().length - before).toBe(3)
    })
  )

  it.effect("a query the fake does not know is refused with NetSuite's error body", () =>
    Effect.gen(function* () {
      const netsuite = yield* NetSuiteClient.NetSuiteClient
      const error = yield* Effect.flip(
        netsuite.suiteql("test", "SELECT * FROM employee", Schema.Struct({}))
      )
      expect(error.reason).toBe("Rejected")
      expect(error.errorCode).toBe("INVALID_PARAMETER")
    })
  )

  it.effect("prices as one base list per currency, exact", () =>
    Effect.gen(function* () {
      const prices = yield* Erp.ErpPrices

      const [list] = yield* prices.lists([sku("CHAIR-1"), sku("DESK-1")], context("EUR"))
      const kwd = yield* prices.lists([sku("CHAIR-1"), sku("DESK-1")], context("KWD"))

      expect(list?.kind).toBe("Base")
      expect(list?.taxInclusive).toBe(true)
      expect(list?.currency).toBe("EUR")
      expect(list?.prices.map((p) => [p.sku, p.amount.minor, p.minQuantity])).toEqual([
        ["CHAIR-1", 12990n, 1],
        ["DESK-1", 49900n, 1]
      ])
      expect(kwd.flatMap((l) => l.prices).map((p) => p.amount)).toEqual([Money.make("KWD", 6331n)])
    })
  )

  it.effect("a negative or non-numeric price is a Decode error naming the item", () =>
    Effect.gen(function* () {
      const prices = yield* Erp.ErpPrices
      fake.setPrice("DESK-1", "EUR", "-5.00")
      const negative = yield* Effect.flip(prices.lists([sku("DESK-1")], context("EUR")))
      fake.setPrice("DESK-1", "EUR", "n/a")
      const garbage = yield* Effect.flip(prices.lists([sku("DESK-1")], context("EUR")))
      fake.setPrice("DESK-1", "EUR", "499.00")

      expect(negative.reason).toBe("Decode")
      expect(negative.detail).toContain("DESK-1")
      expect(garbage.reason).toBe("Decode")
      expect(garbage.detail).toContain("DESK-1")
    })
  )

  it.effect("recording an order twice returns the same record, and NetSuite holds one", () =>
    Effect.gen(function* () {
      const orders = yield* Erp.ErpOrders
      const order = paidOrder("ORD-2001")

      const first = yield* orders.record(order)
      const again = yield* orders.record(order)

      expect(again).toEqual(first)
      expect(yield* orders.find(order.id)).toEqual(Option.some(first))
      expect(ordersFor("ORD-2001")).toBe(1)
      const [saved] = fake.orders().filter((o) => o.externalId === "ORD-2001")
      expect(saved?.idempotencyKey).toBe("ORD-2001")
      expect(JSON.stringify(saved?.body)).toContain('"amount":259.8')
    })
  )

  it.effect(
    "C14: a timeout after the write is Timeout, found by our reference, never duplicated",
    () =>
      Effect.gen(function* () {
        const orders = yield* Erp.ErpOrders
        const order = paidOrder("ORD-1001")
        const postsBefore = posts()

        fake.inject({ failNext: "timeoutAfterWrite" })
        const error = yield* Effect.flip(orders.record(order))
        expect(error.reason).toBe("Timeout")
        expect(ordersFor("ORD-1001")).toBe(1)

        const found = yield* orders.find(order.id)
        expect(Option.isSome(found)).toBe(true)
        const retried = yield* orders.record(order)

        expect(Option.some(retried)).toEqual(found)
        expect(ordersFor("ORD-1001")).toBe(1)
        expect(posts() - postsBefore).toBe(1)
      })
  )

  it.effect("C14: a 429 with Retry-After is retried after that delay", () =>
    Effect.gen(function* () {
      const stock = yield* Erp.ErpStock
      const before = fake.requests().length
      const started = Date.now()

      fake.inject({ failNext: "429", retryAfterSeconds: 1 })
      const levels = yield* stock.levels([sku("CHAIR-1")])

      expect(levels.length).toBe(2)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
      expect(
        fake
          .requests()
          .slice(before)
          .map((r) => r.status)
      ).toEqual([429, 200])
    })
  )

  it.effect("a 5xx is retried with backoff", () =>
    Effect.gen(function* () {
      const stock = yield* Erp.ErpStock
      const before = fake.requests().length

      fake.inject({ failNext: "500" })
      yield* stock.levels([sku("CHAIR-1")])

      expect(
        fake
          .requests()
          .slice(before)
          .map((r) => r.status)
      ).toEqual([500, 200])
    })
  )

  it.effect("requests in flight never exceed the configured concurrency", () =>
    Effect.gen(function* () {
      const stock = yield* Erp.ErpStock
      fake.inject({ latencyMs: 50 })
      yield* Effect.all(
        Array.from({ length: 6 }, () => stock.levels([sku("CHAIR-1")])),
        { concurrency: "unbounded" }
      )
      fake.inject({})
      expect(fake.peakConcurrency()).toBe(2)
    })
  )

  it.effect("an error body keeps its errorCode and errorPath", () =>
    Effect.gen(function* () {
      const netsuite = yield* NetSuiteClient.NetSuiteClient
      const body = JSON.stringify({
        externalId: "ORD-BAD",
        item: { items: [{ item: { id: 9999 } }] }
      })

      const error = yield* Effect.flip(netsuite.createRecord("test", "salesOrder", body, "ORD-BAD"))
      const erp = NetSuiteClient.toErpError(error)

      expect(error.status).toBe(400)
      expect(error.reason).toBe("Rejected")
      expect(error.errorCode).toBe("USER_ERROR")
      expect(error.errorPath).toBe("item.items[0].item")
      expect(erp.reason).toBe("Rejected")
      expect(erp.detail).toContain("USER_ERROR")
      expect(erp.detail).toContain("item.items[0].item")
    })
  )

  it.effect("a wrong token secret is refused as INVALID_LOGIN", () =>
    Effect.gen(function* () {
      const wrong = yield* NetSuiteClient.make({
        ...settings,
        tokenSecret: Redacted.make("not-the-secret")
      }).pipe(Effect.provide(FetchHttpClient.layer))

      const error = yield* Effect.flip(
        wrong.suiteql("test", NetSuiteErp.itemQuery(["CHAIR-1"]), NetSuiteErp.ItemRow)
      )

      expect(error.reason).toBe("Unauthorized")
      expect(error.errorCode).toBe("INVALID_LOGIN")
    })
  )

  it.effect("a signed inventory notification becomes StockChanged", () =>
    Effect.gen(function* () {
      const webhooks = yield* Erp.ErpWebhooks
      const hook = fake.notification(
        "inventory.changed",
        { sku: "CHAIR-1", location: "1", available: 3 },
        { eventId: "ns-evt-1", occurredAt: new Date("2026-01-15T10:00:00Z") }
      )

      const [event] = yield* webhooks.decode(raw(hook))

      expect(event?._tag).toBe("StockChanged")
      expect(event).toMatchObject({
        eventId: "ns-evt-1",
        source: "erp",
        sku: "CHAIR-1",
        locationId: "1",
        available: 3,
        occurredAt: new Date("2026-01-15T10:00:00Z")
      })
    })
  )

  it.effect("order status and price notifications decode", () =>
    Effect.gen(function* () {
      const webhooks = yield* Erp.ErpWebhooks
      const [status] = yield* webhooks.decode(
        raw(
          fake.notification("order.status_changed", {
            externalId: "ORD-2001",
            id: "5000",
            status: "Billed"
          })
        )
      )
      const [price] = yield* webhooks.decode(
        raw(fake.notification("price.changed", { sku: "DESK-1" }))
      )

      expect(status).toMatchObject({
        _tag: "OrderStatusChanged",
        orderId: "ORD-2001",
        erpReference: "5000",
        status: "Billed"
      })
      expect(price).toMatchObject({ _tag: "PriceChanged", sku: "DESK-1" })
    })
  )

  it.effect("refused notifications say why", () =>
    Effect.gen(function* () {
      const webhooks = yield* Erp.ErpWebhooks
      const good = fake.notification("price.changed", { sku: "DESK-1" })
      const reasonOf = (hook: Webhook.RawWebhook) =>
        webhooks.decode(hook).pipe(
          Effect.flip,
          Effect.map((e) => e.reason)
        )
      const stale = fake.notification(
        "price.changed",
        { sku: "DESK-1" },
        { ts: Math.floor(Date.now() / 1000) - 301 }
      )

      expect(yield* reasonOf(Webhook.make([], good.body))).toBe("MissingSignature")
      expect(yield* reasonOf(raw({ ...good, body: good.body.replace("DESK", "DUSK") }))).toBe(
        "BadSignature"
      )
      expect(yield* reasonOf(raw(stale))).toBe("Stale")
      expect(
        yield* reasonOf(raw(fake.notification("inventory.changed", { sku: "not a sku!" })))
      ).toBe("Malformed")
      expect(
        yield* reasonOf(
          raw(fake.notification("item.deleted" as "price.changed", { sku: "DESK-1" }))
        )
      ).toBe("Unsupported")
    })
  )
})
