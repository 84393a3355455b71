/**
 * The contract every ERP adapter passes: the same tests run against the
 * memory ERP and against each vendor adapter through its fake.
 *
 * ```ts
 * erpContract("memory", MemoryErp.layer({ items: [] }), control)
 * ```
 *
 * The suite knows the ERP only through the domain ports and a small
 * {@link ErpContractControl}, whose services the layer provides too. Each
 * test seeds its own SKUs, so the layer is built once per suite.
 *
 * @since 0.1.0
 */
import { expect, layer } from "@effect/vitest"
import { Erp, Ids, Money, Order, PricingContext } from "@mercantile/domain"
import type { Event, Webhook } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/** One SKU with its decimal prices per currency and its stock per location. */
export interface ErpSeedItem {
  readonly sku: string
  readonly name: string
  readonly prices: Readonly<Record<string, string>>
  readonly stock: ReadonlyArray<{ readonly location: string; readonly available: number }>
}

/** A change the ERP notifies, for {@link ErpContractControl.notification}. */
export type ErpChange =
  | { readonly _tag: "StockChanged"; readonly sku: string }
  | { readonly _tag: "PriceChanged"; readonly sku: string }
  | { readonly _tag: "OrderStatusChanged"; readonly orderId: Ids.OrderId }

/** How the suite moves the ERP under test; `R` is provided by the suite's layer. */
export interface ErpContractControl<R> {
  /** Adds items, replacing those with the same SKU. */
  readonly seed: (items: ReadonlyArray<ErpSeedItem>) => Effect.Effect<void, never, R>
  /** Sets one SKU's available units at one location. */
  readonly setStock: (
    sku: string,
    location: string,
    available: number
  ) => Effect.Effect<void, never, R>
  /** Sets one SKU's price in one currency (a decimal string). */
  readonly setPrice: (
    sku: string,
    currency: string,
    amount: string
  ) => Effect.Effect<void, never, R>
  /** How many orders the ERP holds for our order id. */
  readonly ordersFor: (orderId: Ids.OrderId) => Effect.Effect<number, never, R>
  /** A notification of a change, exactly as the ERP would send it (signed when it signs). */
  readonly notification: (change: ErpChange) => Effect.Effect<Webhook.RawWebhook, never, R>
  /** Makes the next order write succeed in the ERP but time out for the caller, where supported. */
  readonly timeoutAfterWrite?: Effect.Effect<void, never, R>
}

/** The ERP ports under test. */
export type ErpPorts = Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks

let counter = 0
const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${++counter}`

const context = (currency: "EUR" | "JPY" | "KWD") =>
  new PricingContext.PricingContext({
    currency,
    region: PricingContext.Region.make("DE"),
    channel: PricingContext.Channel.make("web"),
    at: new Date("2026-01-15T12:00:00Z")
  })

const eur = (amount: string): Money.Money => Either.getOrThrow(Money.fromDecimal("EUR", amount))

/** A paid order of `quantity` units of `sku` at EUR 10.00 each. */
const paidOrder = (id: Ids.OrderId, sku: string, quantity = 2): Order.Order => {
  const unitPrice = eur("10.00")
  const total = Money.times(unitPrice, quantity)
  return new Order.Order({
    id,
    cartId: Ids.CartId.make(`cart-${id}`),
    currency: "EUR",
    lines: [
      new Order.OrderLine({
        sku: Ids.Sku.make(sku),
        name: sku,
        quantity,
        unitPrice,
        total,
        tax: Money.zero("EUR")
      })
    ],
    total,
    tax: Money.zero("EUR"),
    status: "Paid",
    paymentReference: `pay-${id}`,
    createdAt: new Date("2026-01-15T12:00:00Z"),
    updatedAt: new Date("2026-01-15T12:00:00Z")
  })
}

const item = (sku: string, stock: ErpSeedItem["stock"] = []): ErpSeedItem => ({
  sku,
  name: `Item ${sku}`,
  prices: { EUR: "12.50", JPY: "1800", KWD: "6.331" },
  stock
})

const sortLevels = <A extends { readonly sku: string; readonly locationId: string }>(
  levels: ReadonlyArray<A>
) =>
  [...levels].sort((a, b) => `${a.sku}@${a.locationId}`.localeCompare(`${b.sku}@${b.locationId}`))

const priceOf = (
  lists: ReadonlyArray<{ readonly prices: ReadonlyArray<{ sku: string; amount: Money.Money }> }>,
  sku: string
) => lists.flatMap((l) => l.prices).find((p) => p.sku === sku)?.amount

const checkEnvelope = (event: Event.UpstreamEvent) => {
  expect(event.source).toBe("erp")
  expect(event.eventId.length).toBeGreaterThan(0)
  expect(Number.isNaN(event.occurredAt.getTime())).toBe(false)
}

/** Registers the ERP contract tests for one implementation. */
export const erpContract = <R, E>(
  name: string,
  erp: Layer.Layer<ErpPorts | R, E>,
  control: ErpContractControl<R>
): void => {
  layer(erp, { excludeTestServices: true, timeout: "60 seconds" })(
    `ERP contract: ${name}`,
    (it) => {
      it.effect("stock of many SKUs at many locations in one call", () =>
        Effect.gen(function* () {
          const [a, b] = [unique("STK-A"), unique("STK-B")]
          yield* control.seed([
            item(a, [
              { location: "1010-0001", available: 7 },
              { location: "1010-0002", available: 0 }
            ]),
            item(b, [{ location: "1010-0001", available: 120 }])
          ])
          const stock = yield* Erp.ErpStock

          const levels = yield* stock.levels([a, b, unique("NOPE")].map((s) => Ids.Sku.make(s)))

          expect(
            sortLevels(levels).map((l) => [l.sku, l.locationId, l.available] as const)
          ).toEqual([
            [a, "1010-0001", 7],
            [a, "1010-0002", 0],
            [b, "1010-0001", 120]
          ])
        })
      )

      it.effect("unknown SKUs are absent and no SKU asks for nothing", () =>
        Effect.gen(function* () {
          const stock = yield* Erp.ErpStock
          expect(yield* stock.levels([Ids.Sku.make(unique("GHOST"))])).toEqual([])
          expect(yield* stock.levels([])).toEqual([])
        })
      )

      it.effect("stock moves are read live", () =>
        Effect.gen(function* () {
          const sku = unique("MOVE")
          yield* control.seed([item(sku, [{ location: "1010-0001", available: 5 }])])
          const stock = yield* Erp.ErpStock

          yield* control.setStock(sku, "1010-0001", 2)
          const levels = yield* stock.levels([Ids.Sku.make(sku)])

          expect(levels.map((l) => l.available)).toEqual([2])
        })
      )

      it.effect("prices for a context in one call, as exact money", () =>
        Effect.gen(function* () {
          const [a, b] = [unique("PRC-A"), unique("PRC-B")]
          yield* control.seed([item(a), { ...item(b), prices: { EUR: "0.99", JPY: "100" } }])
          const prices = yield* Erp.ErpPrices
          const skus = [a, b, unique("NOPE")].map((s) => Ids.Sku.make(s))

          const inEur = yield* prices.lists(skus, context("EUR"))
          const inJpy = yield* prices.lists(skus, context("JPY"))
          const inKwd = yield* prices.lists(skus, context("KWD"))

          expect(inEur.every((l) => l.currency === "EUR")).toBe(true)
          expect(priceOf(inEur, a)).toEqual(Money.make("EUR", 1250n))
          expect(priceOf(inEur, b)).toEqual(Money.make("EUR", 99n))
          expect(priceOf(inJpy, a)).toEqual(Money.make("JPY", 1800n))
          expect(priceOf(inKwd, a)).toEqual(Money.make("KWD", 6331n))
          expect(priceOf(inKwd, b)).toBeUndefined()
          expect(inEur.flatMap((l) => l.prices).map((p) => p.sku)).not.toContain(skus[2])
        })
      )

      it.effect("price moves are read live", () =>
        Effect.gen(function* () {
          const sku = unique("REPRICE")
          yield* control.seed([item(sku)])
          const prices = yield* Erp.ErpPrices

          yield* control.setPrice(sku, "EUR", "11.05")
          const lists = yield* prices.lists([Ids.Sku.make(sku)], context("EUR"))

          expect(priceOf(lists, sku)).toEqual(Money.make("EUR", 1105n))
        })
      )

      it.effect("records an order once, however often asked", () =>
        Effect.gen(function* () {
          const sku = unique("ORD")
          yield* control.seed([item(sku, [{ location: "1010-0001", available: 9 }])])
          const orders = yield* Erp.ErpOrders
          const order = paidOrder(Ids.OrderId.make(unique("ord")), sku)

          const before = yield* orders.find(order.id)
          const first = yield* orders.record(order)
          const again = yield* orders.record(order)
          const found = yield* orders.find(order.id)

          expect(Option.isNone(before)).toBe(true)
          expect(first.orderId).toBe(order.id)
          expect(first.erpReference.length).toBeGreaterThan(0)
          expect(again).toEqual(first)
          expect(found).toEqual(Option.some(first))
          expect(yield* control.ordersFor(order.id)).toBe(1)
        })
      )

      const timeoutAfterWrite = control.timeoutAfterWrite
      if (timeoutAfterWrite !== undefined) {
        it.effect("a write that timed out is found, never duplicated", () =>
          Effect.gen(function* () {
            const sku = unique("TMO")
            yield* control.seed([item(sku, [{ location: "1010-0001", available: 9 }])])
            const orders = yield* Erp.ErpOrders
            const order = paidOrder(Ids.OrderId.make(unique("ord")), sku)

            yield* timeoutAfterWrite
            const first = yield* Effect.either(orders.record(order))
            const second = yield* orders.record(order)

            if (Either.isLeft(first)) expect(first.left.reason).toBe("Timeout")
            else expect(first.right).toEqual(second)
            expect(yield* orders.find(order.id)).toEqual(Option.some(second))
            expect(yield* control.ordersFor(order.id)).toBe(1)
          })
        )
      }

      it.effect("stock and price notifications decode with a stable event id", () =>
        Effect.gen(function* () {
          const sku = unique("NTF")
          yield* control.seed([item(sku, [{ location: "1010-0001", available: 3 }])])
          const webhooks = yield* Erp.ErpWebhooks

          const stockHook = yield* control.notification({ _tag: "StockChanged", sku })
          const stockEvents = yield* webhooks.decode(stockHook)
          const redelivered = yield* webhooks.decode(stockHook)
          const priceEvents = yield* webhooks.decode(
            yield* control.notification({ _tag: "PriceChanged", sku })
          )

          const stockChanged = stockEvents.find((e) => e._tag === "StockChanged")
          const priceChanged = priceEvents.find((e) => e._tag === "PriceChanged")
          expect(stockChanged?._tag === "StockChanged" && stockChanged.sku).toBe(sku)
          expect(priceChanged?._tag === "PriceChanged" && priceChanged.sku).toBe(sku)
          stockEvents.forEach(checkEnvelope)
          priceEvents.forEach(checkEnvelope)
          expect(redelivered.map((e) => e.eventId)).toEqual(stockEvents.map((e) => e.eventId))
        })
      )

      it.effect("order notifications name our order and the ERP's reference", () =>
        Effect.gen(function* () {
          const sku = unique("ONT")
          yield* control.seed([item(sku, [{ location: "1010-0001", available: 9 }])])
          const orders = yield* Erp.ErpOrders
          const webhooks = yield* Erp.ErpWebhooks
          const order = paidOrder(Ids.OrderId.make(unique("ord")), sku)
          const ref = yield* orders.record(order)

          const hook = yield* control.notification({
            _tag: "OrderStatusChanged",
            orderId: order.id
          })
          const events = yield* webhooks.decode(hook)

          const changed = events.find((e) => e._tag === "OrderStatusChanged")
          expect(changed?._tag === "OrderStatusChanged" && changed.orderId).toBe(order.id)
          expect(changed?._tag === "OrderStatusChanged" && changed.erpReference).toBe(
            ref.erpReference
          )
          events.forEach(checkEnvelope)
        })
      )

      it.effect("a garbled notification is refused", () =>
        Effect.gen(function* () {
          const webhooks = yield* Erp.ErpWebhooks
          const good = yield* control.notification({ _tag: "PriceChanged", sku: unique("BAD") })

          const error = yield* Effect.flip(
            webhooks.decode({ headers: good.headers, body: new TextEncoder().encode("{not json") })
          )

          expect(error._tag).toBe("WebhookError")
          expect(["Malformed", "BadSignature"]).toContain(error.reason)
        })
      )
    }
  )
}
