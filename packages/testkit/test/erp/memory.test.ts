import { Event, Ids } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import { erpContract } from "../../src/contracts/Erp"
import * as MemoryErp from "../../src/memory/Erp"

const at = new Date("2026-01-15T12:00:00Z")

erpContract("memory", MemoryErp.layer({ items: [] }), {
  seed: (items) => Effect.flatMap(MemoryErp.MemoryErpControl, (c) => c.seed(items)),
  setStock: (sku, location, available) =>
    Effect.flatMap(MemoryErp.MemoryErpControl, (c) => c.setStock(sku, location, available)),
  setPrice: (sku, currency, amount) =>
    Effect.flatMap(MemoryErp.MemoryErpControl, (c) => c.setPrice(sku, currency, amount)),
  ordersFor: (orderId) =>
    Effect.flatMap(MemoryErp.MemoryErpControl, (c) => c.orders).pipe(
      Effect.map((orders) => orders.filter((o) => o.order.id === orderId).length)
    ),
  timeoutAfterWrite: Effect.flatMap(MemoryErp.MemoryErpControl, (c) =>
    c.failNext("TimeoutAfterWrite")
  ),
  notification: (change) =>
    Effect.gen(function* () {
      const envelope = { source: "erp" as const, occurredAt: at }
      switch (change._tag) {
        case "StockChanged":
        case "PriceChanged": {
          const eventId = Ids.EventId.make(`${change._tag}-${change.sku}`)
          const sku = Ids.Sku.make(change.sku)
          return MemoryErp.webhook([
            change._tag === "StockChanged"
              ? new Event.StockChanged({ ...envelope, eventId, sku })
              : new Event.PriceChanged({ ...envelope, eventId, sku })
          ])
        }
        case "OrderStatusChanged": {
          const orders = yield* Effect.flatMap(MemoryErp.MemoryErpControl, (c) => c.orders)
          const recorded = orders.find((o) => o.order.id === change.orderId)
          return MemoryErp.webhook([
            new Event.OrderStatusChanged({
              ...envelope,
              eventId: Ids.EventId.make(`order-${change.orderId}`),
              orderId: change.orderId,
              erpReference: recorded?.erpReference ?? "",
              status: "Open"
            })
          ])
        }
      }
    })
})
