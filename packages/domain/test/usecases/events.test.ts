import { describe, expect, it } from "@effect/vitest"
import {
  CartService,
  Checkout,
  Event,
  EventIngestion,
  Ids,
  Inventory,
  OrderStore,
  ProductView,
  ReservationSweeper
} from "@mercantile/domain"
import { Harness, MemoryCache, MemoryErp, MemoryMerchant } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { cartA, cartB, mug, seed } from "./fixtures"

const stockChanged = (eventId: string, at: number, available: number) =>
  new Event.StockChanged({
    eventId: Ids.EventId.make(eventId),
    source: "erp",
    occurredAt: new Date(at),
    sku: mug,
    locationId: Ids.LocationId.make("WH-1"),
    available
  })

describe("EventIngestion", () => {
  it.effect("a stock event invalidates that SKU's stock tag and nothing else", () =>
    Effect.gen(function* () {
      const ingestion = yield* EventIngestion.EventIngestion
      const cache = yield* MemoryCache.MemoryCacheControl
      yield* ingestion.ingest([stockChanged("ns-1", 1_000, 7)])

      expect(yield* cache.invalidated).toEqual(["stock:MUG-1"])
    }).pipe(Effect.provide(Harness.layer(seed)))
  )

  it.effect("a duplicate invalidates nothing more; a late event is not applied", () =>
    Effect.gen(function* () {
      const ingestion = yield* EventIngestion.EventIngestion
      const inventory = yield* Inventory.Inventory
      const cache = yield* MemoryCache.MemoryCacheControl

      expect(yield* ingestion.ingest([stockChanged("ns-2", 2_000, 5)])).toEqual(["New"])
      expect(yield* ingestion.ingest([stockChanged("ns-2", 2_000, 5)])).toEqual(["Duplicate"])
      expect(yield* ingestion.ingest([stockChanged("ns-1", 1_000, 9)])).toEqual(["Stale"])

      const free = yield* inventory.availability([mug], new Date(3_000))
      expect(free.map((a) => a.erpAvailable)).toEqual([5])
      expect(yield* cache.invalidated).toEqual(["stock:MUG-1"])
    }).pipe(Effect.provide(Harness.layer(seed)))
  )
})

/** C7: on hand 1; cart A holds it at 12:00 for 15 minutes; its payment fails at 12:01. */
const noon = Date.UTC(2026, 0, 5, 12, 0, 0)
const oneMug = {
  erp: {
    taxInclusive: true,
    items: [{ ...seed.erp.items[0]!, stock: [{ location: "WH-1", available: 1 }] }]
  }
}

const holdAndFail = Effect.gen(function* () {
  yield* TestClock.setTime(noon)
  const carts = yield* CartService.CartService
  const checkout = yield* Checkout.Checkout
  const ingestion = yield* EventIngestion.EventIngestion
  const view = yield* carts.add(cartA, mug, 1)
  const { order } = yield* checkout.start(cartA, Option.some(view.priced.total))
  yield* TestClock.setTime(noon + 60_000)
  yield* ingestion.ingest([
    new Event.PaymentFailed({
      eventId: Ids.EventId.make("evt_fail"),
      source: "payments",
      occurredAt: new Date(noon + 60_000),
      orderId: order.id,
      paymentReference: "txn",
      reason: "declined"
    })
  ])
  return order
})

const freeMugs = Effect.flatMap(ProductView.ProductView, (view) => view.stock(mug))

describe("C7 hold after a failed payment", () => {
  it.effect(
    "keep policy: B sees 0 at 12:05 and 1 at 12:15:01; A's own retry at 12:03 is not blocked",
    () =>
      Effect.gen(function* () {
        yield* holdAndFail
        const checkout = yield* Checkout.Checkout
        const carts = yield* CartService.CartService

        yield* TestClock.setTime(noon + 3 * 60_000)
        const retry = yield* checkout.start(cartA, Option.none())
        expect(retry.order.status).toBe("AwaitingPayment")

        yield* TestClock.setTime(noon + 5 * 60_000)
        expect((yield* freeMugs).available).toBe(0)
        const refused = yield* Effect.flip(carts.add(cartB, mug, 1))
        expect(refused._tag).toBe("OutOfStock")

        yield* TestClock.setTime(noon + 18 * 60_000 + 1_000)
        yield* ReservationSweeper.sweepOnce
        expect((yield* freeMugs).available).toBe(1)
      }).pipe(Effect.provide(Harness.layer(oneMug, { paymentFailurePolicy: "KeepUntilExpiry" })))
  )

  it.effect("release policy: the unit is free again at once", () =>
    Effect.gen(function* () {
      yield* holdAndFail
      expect((yield* freeMugs).available).toBe(1)
    }).pipe(Effect.provide(Harness.layer(oneMug, { paymentFailurePolicy: "ReleaseAtOnce" })))
  )

  it.effect(
    "an expired hold never becomes an order: a late payment finds no stock and is refunded",
    () =>
      Effect.gen(function* () {
        const order = yield* holdAndFail
        const carts = yield* CartService.CartService
        const checkout = yield* Checkout.Checkout
        const ingestion = yield* EventIngestion.EventIngestion
        const erp = yield* MemoryErp.MemoryErpControl

        yield* TestClock.setTime(noon + 16 * 60_000)
        yield* ReservationSweeper.sweepOnce
        const b = yield* carts.add(cartB, mug, 1)
        yield* checkout.start(cartB, Option.some(b.priced.total))

        yield* ingestion.ingest([
          new Event.PaymentCompleted({
            eventId: Ids.EventId.make("evt_late_paid"),
            source: "payments",
            occurredAt: new Date(noon + 17 * 60_000),
            orderId: order.id,
            paymentReference: "txn",
            amount: order.total
          })
        ])
        const merchant = yield* MemoryMerchant.MemoryMerchantControl
        const stored = yield* (yield* OrderStore.OrderStore).get(order.id)
        expect(Option.map(stored, (o) => o.status)).toEqual(Option.some("Refunded"))
        expect((yield* merchant.refunds).map((r) => r.order.id)).toEqual([order.id])
        expect((yield* erp.orders).length).toBe(0)
        expect((yield* freeMugs).available).toBe(0)
      }).pipe(Effect.provide(Harness.layer(oneMug, { paymentFailurePolicy: "KeepUntilExpiry" })))
  )
})
