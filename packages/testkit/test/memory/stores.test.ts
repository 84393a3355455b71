import { assert, it } from "@effect/vitest"
import { Ids, Inventory, Reservation } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Stores from "../../src/contracts/Stores"
import { layerMemory } from "../../src/memory/Stores"

Stores.cartStoreContract(layerMemory())
Stores.orderStoreContract(layerMemory())
Stores.inboxContract(layerMemory())
Stores.outboxContract(layerMemory())
Stores.transactorContract(layerMemory())
Stores.inventoryContract(layerMemory())

it.effect("memory inventory draws from configured locations first", () =>
  Effect.gen(function* () {
    const inventory = yield* Inventory.Inventory
    const sku = Ids.Sku.make("MUG-1")
    const [a, b] = [Ids.LocationId.make("LOC-A"), Ids.LocationId.make("LOC-B")]
    yield* inventory.recordStock([
      new Reservation.StockLevel({ sku, locationId: a, available: 5 }),
      new Reservation.StockLevel({ sku, locationId: b, available: 5 })
    ])

    const held = yield* inventory.reserve({
      cartId: Ids.CartId.make("cart-1"),
      lines: [{ sku, quantity: 6 }],
      now: new Date(0),
      expiresAt: new Date(60_000)
    })

    assert.deepStrictEqual(
      held.map((r) => [r.locationId, r.quantity]),
      [
        [b, 5],
        [a, 1]
      ]
    )
  }).pipe(Effect.provide(layerMemory({ locationOrder: [Ids.LocationId.make("LOC-B")] })))
)
