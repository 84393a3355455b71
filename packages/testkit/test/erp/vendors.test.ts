import { describe, expect, layer } from "@effect/vitest"
import {
  CacheInvalidation,
  Cms,
  Event,
  Ids,
  MerchantOfRecord,
  Money,
  Order,
  Pim
} from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as MemoryCache from "../../src/memory/CacheInvalidation"
import * as MemoryErp from "../../src/memory/Erp"
import * as MemoryVendors from "../../src/memory/Vendors"

const at = new Date("2026-01-15T12:00:00Z")

const product = (sku: string, category: string, updatedAt?: Date) =>
  new Pim.Product({
    sku: Ids.Sku.make(sku),
    productId: Ids.ProductId.make(`p-${sku}`),
    slug: Ids.Slug.make(sku.toLowerCase()),
    name: sku,
    categories: [Ids.CategoryCode.make(category)],
    attributes: {},
    listPrices: [],
    enabled: true,
    ...(updatedAt === undefined ? {} : { updatedAt })
  })

const categories = [
  new Pim.Category({ code: Ids.CategoryCode.make("kitchen"), label: "Kitchen" }),
  new Pim.Category({
    code: Ids.CategoryCode.make("mugs"),
    parent: Ids.CategoryCode.make("kitchen"),
    label: "Mugs"
  }),
  new Pim.Category({ code: Ids.CategoryCode.make("garden"), label: "Garden" })
]

const order = new Order.Order({
  id: Ids.OrderId.make("ord-1"),
  cartId: Ids.CartId.make("cart-1"),
  currency: "EUR",
  lines: [],
  total: Money.make("EUR", 500n),
  tax: Money.zero("EUR"),
  status: "AwaitingPayment",
  createdAt: at,
  updatedAt: at
})

describe("memory vendors", () => {
  layer(
    MemoryVendors.layer({
      erp: { items: [] },
      products: [
        product("MUG-1", "mugs", at),
        product("MUG-2", "mugs"),
        product("POT-1", "kitchen"),
        product("HOSE-1", "garden")
      ],
      categories,
      contents: [
        new Cms.Content({ slug: Ids.Slug.make("mug-1"), title: "Mug", blocks: [], updatedAt: at })
      ]
    })
  )("one layer", (it) => {
    it.effect("the PIM pages a category and its descendants", () =>
      Effect.gen(function* () {
        const pim = yield* Pim.Pim
        const first = yield* pim.products({ category: Ids.CategoryCode.make("kitchen"), limit: 2 })
        const second = yield* pim.products({
          category: Ids.CategoryCode.make("kitchen"),
          limit: 2,
          cursor: Option.getOrThrow(first.next)
        })
        expect([...first.items, ...second.items].map((p) => p.sku)).toEqual([
          "MUG-1",
          "MUG-2",
          "POT-1"
        ])
        expect(Option.isNone(second.next)).toBe(true)
        expect((yield* pim.changedSince(at)).map((p) => p.sku)).toEqual(["MUG-1"])
      })
    )

    it.effect("the CMS answers by slug", () =>
      Effect.gen(function* () {
        const cms = yield* Cms.Cms
        expect(Option.map(yield* cms.content(Ids.Slug.make("mug-1")), (c) => c.title)).toEqual(
          Option.some("Mug")
        )
        expect(Option.isNone(yield* cms.content(Ids.Slug.make("nothing")))).toBe(true)
      })
    )

    it.effect("a transaction is opened once per idempotency key", () =>
      Effect.gen(function* () {
        const merchant = yield* MerchantOfRecord.MerchantOfRecord
        const first = yield* merchant.createTransaction(order, "key-1")
        const again = yield* merchant.createTransaction(order, "key-1")
        const other = yield* merchant.createTransaction(order, "key-2")
        expect(again).toEqual(first)
        expect(first.checkoutUrl).toBe(`memory://pay/${first.transactionId}`)
        expect(other.transactionId).not.toBe(first.transactionId)
      })
    )

    it.effect("payment notifications decode only payment events", () =>
      Effect.gen(function* () {
        const webhooks = yield* MerchantOfRecord.PaymentWebhooks
        const paid = new Event.PaymentCompleted({
          eventId: Ids.EventId.make("pay-1"),
          source: "payments",
          occurredAt: at,
          orderId: order.id,
          paymentReference: "txn_1",
          amount: Money.make("EUR", 500n)
        })
        expect(yield* webhooks.decode(MemoryErp.webhook([paid]))).toEqual([paid])
        const price = new Event.PriceChanged({
          eventId: Ids.EventId.make("p-1"),
          source: "erp",
          occurredAt: at,
          sku: Ids.Sku.make("MUG-1")
        })
        const error = yield* Effect.flip(webhooks.decode(MemoryErp.webhook([price])))
        expect(error.reason).toBe("Unsupported")
      })
    )

    it.effect("invalidated tags are recorded in order", () =>
      Effect.gen(function* () {
        const cache = yield* CacheInvalidation.CacheInvalidation
        const control = yield* MemoryCache.MemoryCacheControl
        yield* cache.invalidate(["price:MUG-1"])
        yield* cache.invalidate(["stock:MUG-1", "price:MUG-1"])
        expect(yield* control.invalidated).toEqual(["price:MUG-1", "stock:MUG-1", "price:MUG-1"])
        yield* control.clear
        expect(yield* control.invalidated).toEqual([])
      })
    )
  })
})
