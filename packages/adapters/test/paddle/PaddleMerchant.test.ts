import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { expect, layer } from "@effect/vitest"
import type { Currency } from "@mercantile/domain"
import { Ids, MerchantOfRecord, Money, Order, Webhook } from "@mercantile/domain"
import { Msw, PaddleFake } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as PaddleClient from "../../src/paddle/PaddleClient"
import * as PaddleMerchant from "../../src/paddle/PaddleMerchant"

const baseUrl = "https://paddle.fake.test"
const webhookUrl = "https://shop.test/webhooks/paddle"

const fake = PaddleFake.makePaddleFake({
  apiKey: "pdl_sdbx_apikey_test",
  webhookSecret: "pdl_ntf_test_secret",
  webhookUrl,
  publicUrl: baseUrl
})

const received: Array<Webhook.RawWebhook> = []
const capture = Msw.http.post(webhookUrl, async ({ request }) => {
  received.push(
    Webhook.make(request.headers.entries(), new Uint8Array(await request.arrayBuffer()))
  )
  return Msw.HttpResponse.json({ ok: true })
})

const settings = {
  apiKey: Redacted.make("pdl_sdbx_apikey_test"),
  baseUrl,
  webhookSecret: Redacted.make("pdl_ntf_test_secret"),
  checkoutUrl: "https://shop.test/checkout/{order_id}/return"
}

const client = PaddleClient.layer(settings).pipe(Layer.provide(FetchHttpClient.layer))

const suite = Layer.mergeAll(
  Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app), capture),
  PaddleMerchant.layerClient(settings).pipe(Layer.provideMerge(client))
)

const money = (currency: Currency.CurrencyCode, amount: string) =>
  Either.getOrThrow(Money.fromDecimal(currency, amount))

/** An order of one line: `quantity` units totalling `total`. */
const orderOf = (id: string, currency: Currency.CurrencyCode, total: string, quantity: number) => {
  const lineTotal = money(currency, total)
  return new Order.Order({
    id: Ids.OrderId.make(id),
    cartId: Ids.CartId.make(`cart-${id}`),
    currency,
    lines: [
      new Order.OrderLine({
        sku: Ids.Sku.make("SKU-1"),
        name: "Teapot",
        quantity,
        unitPrice: lineTotal,
        total: lineTotal,
        tax: Money.zero(currency)
      })
    ],
    total: lineTotal,
    tax: Money.zero(currency),
    status: "AwaitingPayment",
    createdAt: new Date("2026-01-15T12:00:00Z"),
    updatedAt: new Date("2026-01-15T12:00:00Z")
  })
}

interface SentItem {
  readonly quantity: number
  readonly price: {
    readonly unit_price: { readonly amount: string; readonly currency_code: string }
  }
}

const sentItems = (orderId: string): ReadonlyArray<SentItem> => {
  const request = fake
    .createRequests()
    .find(
      (body) => (body as { custom_data?: { order_id?: string } }).custom_data?.order_id === orderId
    ) as { items: ReadonlyArray<SentItem> }
  return request.items
}

const grandTotal = (transactionId: string) =>
  (
    fake.transactions().find((t) => t.id === transactionId)?.["details"] as {
      totals: { grand_total: string }
    }
  ).totals.grand_total

const payPage = (id: string, outcome: "pay" | "decline") =>
  Effect.promise(() =>
    fetch(`${baseUrl}/pay/${id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `outcome=${outcome}`,
      redirect: "manual"
    })
  )

const lastReceived = () => received[received.length - 1]!

layer(suite, { excludeTestServices: true })("PaddleMerchant", (it) => {
  it.effect("C4: JPY 2550 goes to Paddle as 2550 yen, never 255000", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const order = orderOf("ORD-JPY-1", "JPY", "2550", 3)
      const single = orderOf("ORD-JPY-2", "JPY", "2550", 1)

      const transaction = yield* merchant.createTransaction(order, "key-jpy-1")
      const other = yield* merchant.createTransaction(single, "key-jpy-2")

      expect(sentItems(order.id).map((i) => [i.quantity, i.price.unit_price])).toEqual([
        [3, { amount: "850", currency_code: "JPY" }]
      ])
      expect(sentItems(single.id)[0]?.price.unit_price).toEqual({
        amount: "2550",
        currency_code: "JPY"
      })
      expect(grandTotal(transaction.transactionId)).toBe("2550")
      expect(grandTotal(other.transactionId)).toBe("2550")
    })
  )

  it.effect("C5: KWD 6.331 goes to Paddle as 6331 fils", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const order = orderOf("ORD-KWD-1", "KWD", "6.331", 3)

      const transaction = yield* merchant.createTransaction(order, "key-kwd")

      expect(sentItems(order.id).map((i) => [i.quantity, i.price.unit_price.amount])).toEqual([
        [1, "6331"]
      ])
      expect(grandTotal(transaction.transactionId)).toBe("6331")
    })
  )

  it.effect("the same order opens the same transaction", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const order = orderOf("ORD-IDEM", "EUR", "10.00", 1)

      const first = yield* merchant.createTransaction(order, "key-idem")
      const again = yield* merchant.createTransaction(order, "key-idem")

      expect(again).toEqual(first)
      expect(first.transactionId).toMatch(/^txn_/)
      expect(first.checkoutUrl).toBe(`${baseUrl}/pay/${first.transactionId}`)
      expect(
        fake.transactions().filter((t) => t.custom_data?.["order_id"] === "ORD-IDEM").length
      ).toBe(1)
    })
  )

  it.effect("a validation error keeps Paddle's code and field errors", () =>
    Effect.gen(function* () {
      const paddle = yield* PaddleClient.PaddleClient
      const error = yield* Effect.flip(
        paddle.createTransaction({
          items: [
            {
              quantity: 1,
              price: { description: "x", unit_price: { amount: "25.50", currency_code: "EUR" } }
            }
          ]
        })
      )

      expect(error.reason).toBe("Rejected")
      expect(error.status).toBe(400)
      expect(error.code).toBe("bad_request")
      expect(error.errors?.map((e) => e.field)).toEqual(["items[0].price.unit_price.amount"])
      expect(error.requestId).toBeDefined()
      expect(PaddleClient.toPaymentError(error).reason).toBe("Rejected")
    })
  )

  it.effect("a wrong API key is Unauthorized", () =>
    Effect.gen(function* () {
      const wrong = yield* PaddleClient.make({ ...settings, apiKey: Redacted.make("nope") }).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      const error = yield* Effect.flip(wrong.getTransaction("txn_1"))
      expect(error.reason).toBe("Unauthorized")
      expect(error.code).toBe("authentication_malformed")
    })
  )

  it.effect("a 429 is retried after Retry-After", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const started = Date.now()
      fake.inject({ failNext: "429", retryAfterSeconds: 1 })

      const transaction = yield* merchant.createTransaction(
        orderOf("ORD-429", "EUR", "5.00", 1),
        "key-429"
      )

      expect(transaction.transactionId).toMatch(/^txn_/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    })
  )

  it.effect("paying on the pay page sends a signed transaction.completed", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const webhooks = yield* MerchantOfRecord.PaymentWebhooks
      const order = orderOf("ORD-PAY", "JPY", "2550", 3)
      const { transactionId } = yield* merchant.createTransaction(order, "key-pay")

      const page = yield* Effect.promise(() =>
        fetch(`${baseUrl}/pay/${transactionId}`).then((r) => r.text())
      )
      const answer = yield* payPage(transactionId, "pay")
      const [event] = yield* webhooks.decode(lastReceived())

      expect(page).toContain("Pay now")
      expect(answer.status).toBe(303)
      expect(answer.headers.get("location")).toBe(
        `https://shop.test/checkout/ORD-PAY/return?_ptxn=${transactionId}`
      )
      expect(event).toMatchObject({
        _tag: "PaymentCompleted",
        source: "payments",
        orderId: "ORD-PAY",
        paymentReference: transactionId,
        amount: Money.make("JPY", 2550n)
      })
      expect(event?.eventId).toMatch(/^evt_/)
    })
  )

  it.effect("a declined card sends transaction.payment_failed", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const webhooks = yield* MerchantOfRecord.PaymentWebhooks
      const order = orderOf("ORD-DECLINE", "EUR", "20.00", 1)
      const { transactionId } = yield* merchant.createTransaction(order, "key-decline")

      yield* payPage(transactionId, "decline")
      const [event] = yield* webhooks.decode(lastReceived())

      expect(event).toMatchObject({
        _tag: "PaymentFailed",
        orderId: "ORD-DECLINE",
        paymentReference: transactionId,
        reason: "declined"
      })
    })
  )

  it.effect("a refund becomes an adjustment, and its notification PaymentRefunded", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const webhooks = yield* MerchantOfRecord.PaymentWebhooks
      const order = orderOf("ORD-REFUND", "EUR", "30.00", 3)
      const { transactionId } = yield* merchant.createTransaction(order, "key-refund")
      yield* payPage(transactionId, "pay")

      yield* merchant.refund(
        new Order.Order({ ...order, status: "Paid", paymentReference: transactionId }),
        money("EUR", "12.34"),
        "damaged"
      )
      const [event] = yield* webhooks.decode(lastReceived())

      const adjustment = fake.adjustments().at(-1) as {
        action: string
        items: ReadonlyArray<{ amount: string }>
      }
      expect(adjustment.action).toBe("refund")
      expect(adjustment.items.map((i) => i.amount)).toEqual(["1234"])
      expect(event).toMatchObject({
        _tag: "PaymentRefunded",
        orderId: "ORD-REFUND",
        paymentReference: transactionId,
        amount: Money.make("EUR", 1234n)
      })
    })
  )

  it.effect("refused notifications say why", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const webhooks = yield* MerchantOfRecord.PaymentWebhooks
      const { transactionId } = yield* merchant.createTransaction(
        orderOf("ORD-HOOKS", "EUR", "1.00", 1),
        "key-hooks"
      )
      const now = Math.floor(Date.now() / 1000)
      const good = fake.notification("transaction.completed", transactionId)
      const sign = (body: string, ts = now) =>
        Webhook.make(
          [["Paddle-Signature", PaddleFake.signPaddle("pdl_ntf_test_secret", body, ts)]],
          body
        )
      const reasonOf = (hook: Webhook.RawWebhook) =>
        webhooks.decode(hook).pipe(
          Effect.flip,
          Effect.map((e) => e.reason)
        )
      const other = JSON.stringify({
        event_id: "evt_x",
        event_type: "subscription.created",
        occurred_at: "2026-01-15T12:00:00Z",
        data: {}
      })
      const notOurs = good.body.replace(/"custom_data":\{[^}]*\}/, '"custom_data":null')

      expect(
        yield* webhooks.decode(Webhook.make(Object.entries(good.headers), good.body))
      ).toHaveLength(1)
      expect(yield* reasonOf(Webhook.make([], good.body))).toBe("MissingSignature")
      expect(yield* reasonOf(Webhook.make(Object.entries(good.headers), `${good.body} `))).toBe(
        "BadSignature"
      )
      expect(yield* reasonOf(sign(good.body, now - 6))).toBe("Stale")
      expect(yield* reasonOf(sign("{not json"))).toBe("Malformed")
      expect(yield* reasonOf(sign(other))).toBe("Unsupported")
      expect(notOurs).not.toBe(good.body)
      expect(yield* reasonOf(sign(notOurs))).toBe("Unsupported")
    })
  )

  it.effect("the tolerance is configurable", () =>
    Effect.gen(function* () {
      const merchant = yield* MerchantOfRecord.MerchantOfRecord
      const { transactionId } = yield* merchant.createTransaction(
        orderOf("ORD-TOL", "EUR", "1.00", 1),
        "key-tol"
      )
      const hook = fake.notification(
        "transaction.completed",
        transactionId,
        Math.floor(Date.now() / 1000) - 60
      )
      const lenient = yield* PaddleMerchant.make({
        webhookSecret: settings.webhookSecret,
        webhookToleranceSeconds: 120
      })

      const events = yield* lenient.webhooks.decode(
        Webhook.make(Object.entries(hook.headers), hook.body)
      )

      expect(events.map((e) => e._tag)).toEqual(["PaymentCompleted"])
    })
  )
})
