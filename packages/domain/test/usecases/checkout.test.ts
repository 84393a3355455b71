import { describe, expect, it } from "@effect/vitest"
import {
  Cart,
  Checkout,
  CartService,
  Event,
  EventIngestion,
  Ids,
  Inventory,
  Money,
  OrderStore,
  OutboxWorker
} from "@mercantile/domain"
import { Harness, MemoryErp, MemoryMerchant } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { cartA, mug, seed, tee } from "./fixtures"

const provide = Effect.provide(Harness.layer(seed))

const completed = (orderId: Ids.OrderId, amount: Money.Money, at: Date, eventId = "evt_paid_1") =>
  new Event.PaymentCompleted({
    eventId: Ids.EventId.make(eventId),
    source: "payments",
    occurredAt: at,
    orderId,
    paymentReference: "txn_1",
    amount
  })

/** Adds 2 mugs and 1 tee and starts checkout at the live total. */
const startCheckout = Effect.gen(function* () {
  const carts = yield* CartService.CartService
  const checkout = yield* Checkout.Checkout
  yield* carts.add(cartA, mug, 2)
  const view = yield* carts.add(cartA, tee, 1)
  return yield* checkout.start(cartA, Option.some(view.priced.total))
})

describe("orderIdFor", () => {
  it("keeps a short cart's id readable and every id within the ERP's 35 characters", () => {
    const short = Cart.empty(Ids.CartId.make("cart-a"), "EUR")
    const long = Cart.empty(Ids.CartId.make(`cart-${"x".repeat(100)}`), "EUR")
    const other = Cart.empty(Ids.CartId.make(`cart-${"x".repeat(99)}y`), "EUR")

    expect(Checkout.orderIdFor(short)).toBe("ord-cart-a-v0")
    expect(Checkout.orderIdFor(long).length).toBeLessThanOrEqual(Checkout.maxOrderIdLength)
    expect(Checkout.orderIdFor(long)).toBe(Checkout.orderIdFor(long))
    expect(Checkout.orderIdFor(long)).not.toBe(Checkout.orderIdFor(other))
    expect(
      Checkout.orderIdFor(new Cart.Cart({ ...long, version: 12345 })).length
    ).toBeLessThanOrEqual(35)
  })
})

describe("Checkout", () => {
  it.effect("reserves, persists the order awaiting payment and opens one transaction", () =>
    Effect.gen(function* () {
      const started = yield* startCheckout
      const inventory = yield* Inventory.Inventory
      const merchant = yield* MemoryMerchant.MemoryMerchantControl

      expect(started.order.status).toBe("AwaitingPayment")
      expect(Money.toDecimal(started.order.total)).toBe("86.46")
      const free = yield* inventory.availability([mug], new Date(0))
      expect(free.map((a) => a.free)).toEqual([1])
      expect((yield* merchant.transactions).length).toBe(1)
    }).pipe(provide)
  )

  it.effect("checking out the same cart twice is the same order and transaction", () =>
    Effect.gen(function* () {
      const first = yield* startCheckout
      const checkout = yield* Checkout.Checkout
      const second = yield* checkout.start(cartA, Option.some(first.order.total))
      const merchant = yield* MemoryMerchant.MemoryMerchantControl

      expect(second.order.id).toBe(first.order.id)
      expect(second.transaction.transactionId).toBe(first.transaction.transactionId)
      expect((yield* merchant.transactions).length).toBe(1)
    }).pipe(provide)
  )

  it.effect("a price that moved since the cart was priced stops checkout with a correction", () =>
    Effect.gen(function* () {
      const carts = yield* CartService.CartService
      const checkout = yield* Checkout.Checkout
      const erp = yield* MemoryErp.MemoryErpControl
      const view = yield* carts.add(cartA, tee, 2)
      yield* erp.setPrice("TEE-1", "EUR", "12.00")

      const error = yield* Effect.flip(checkout.start(cartA, Option.some(view.priced.total)))
      expect(error._tag).toBe("PriceMoved")
      if (error._tag !== "PriceMoved") return
      expect(Money.toDecimal(error.confirmed)).toBe("20.00")
      expect(Money.toDecimal(error.current)).toBe("24.00")
      const orders = yield* OrderStore.OrderStore
      expect(Option.isNone(yield* orders.byCart(cartA))).toBe(true)
    }).pipe(provide)
  )

  it.effect("C10 duplicate delivery: three at once and a fourth an hour later pay once", () =>
    Effect.gen(function* () {
      const { order } = yield* startCheckout
      const ingestion = yield* EventIngestion.EventIngestion
      const orders = yield* OrderStore.OrderStore
      const event = completed(order.id, order.total, new Date(1_000))

      const receipts = yield* Effect.all(
        [1, 2, 3].map(() => ingestion.ingest([event])),
        { concurrency: "unbounded" }
      )
      expect(receipts.flat().sort()).toEqual(["Duplicate", "Duplicate", "New"])
      yield* TestClock.adjust("1 hour")
      expect(yield* ingestion.ingest([event])).toEqual(["Duplicate"])

      const paid = yield* orders.get(order.id)
      expect(Option.map(paid, (o) => o.status)).toEqual(Option.some("Paid"))
      const worker = yield* OutboxWorker.OutboxWorker
      expect(yield* worker.runOnce).toBe(1)
      expect(yield* worker.runOnce).toBe(0)
      const erp = yield* MemoryErp.MemoryErpControl
      expect((yield* erp.orders).length).toBe(1)
    }).pipe(provide)
  )

  it.effect("a payment for a different amount leaves the order unpaid", () =>
    Effect.gen(function* () {
      const { order } = yield* startCheckout
      const ingestion = yield* EventIngestion.EventIngestion
      const orders = yield* OrderStore.OrderStore
      yield* ingestion.ingest([completed(order.id, Money.make("EUR", 1n), new Date(1_000))])

      const stored = yield* orders.get(order.id)
      expect(Option.map(stored, (o) => o.status)).toEqual(Option.some("AwaitingPayment"))
    }).pipe(provide)
  )

  it.effect(
    "C14 a timeout while the ERP saved the order: the retry finds it and creates none",
    () =>
      Effect.gen(function* () {
        const { order } = yield* startCheckout
        const ingestion = yield* EventIngestion.EventIngestion
        const worker = yield* OutboxWorker.OutboxWorker
        const erp = yield* MemoryErp.MemoryErpControl
        const orders = yield* OrderStore.OrderStore
        yield* ingestion.ingest([completed(order.id, order.total, new Date(1_000))])

        yield* erp.failNext("TimeoutAfterWrite")
        expect(yield* worker.runOnce).toBe(0)
        expect((yield* erp.orders).length).toBe(1)
        yield* TestClock.adjust("5 seconds")
        expect(yield* worker.runOnce).toBe(1)

        const recorded = yield* erp.orders
        expect(recorded.length).toBe(1)
        const stored = yield* orders.get(order.id)
        expect(Option.map(stored, (o) => [o.status, o.erpReference])).toEqual(
          Option.some(["RecordedInErp", recorded[0]?.erpReference])
        )
      }).pipe(provide)
  )

  it.effect("a rate-limited ERP write is retried, not before the backoff", () =>
    Effect.gen(function* () {
      const { order } = yield* startCheckout
      const ingestion = yield* EventIngestion.EventIngestion
      const worker = yield* OutboxWorker.OutboxWorker
      const erp = yield* MemoryErp.MemoryErpControl
      yield* ingestion.ingest([completed(order.id, order.total, new Date(1_000))])

      yield* erp.failNext("RateLimited")
      expect(yield* worker.runOnce).toBe(0)
      expect(yield* worker.runOnce).toBe(0)
      yield* TestClock.adjust("1 second")
      expect(yield* worker.runOnce).toBe(1)
      expect((yield* erp.orders).length).toBe(1)
    }).pipe(provide)
  )

  it.effect("a late payment failure never moves a paid order backwards", () =>
    Effect.gen(function* () {
      const { order } = yield* startCheckout
      const ingestion = yield* EventIngestion.EventIngestion
      const orders = yield* OrderStore.OrderStore
      yield* ingestion.ingest([completed(order.id, order.total, new Date(2_000))])
      yield* ingestion.ingest([
        new Event.PaymentFailed({
          eventId: Ids.EventId.make("evt_failed_1"),
          source: "payments",
          occurredAt: new Date(1_000),
          orderId: order.id,
          paymentReference: "txn_1",
          reason: "declined"
        })
      ])

      const stored = yield* orders.get(order.id)
      expect(Option.map(stored, (o) => o.status)).toEqual(Option.some("Paid"))
    }).pipe(provide)
  )
})
