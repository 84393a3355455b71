import { assert, it } from "@effect/vitest"
import { CartStore, Ids, Inventory, Reservation } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Stores from "../../../testkit/src/contracts/Stores"
import * as Fx from "../../../testkit/src/contracts/StoresFixtures"
import * as PgDatabase from "../../src/postgres/PgDatabase"
import * as PgStores from "../../src/postgres/PgStores"

// PGlite is one session behind a pool of one: these cases prove the
// semantics; the C6 race on real connections is proven in server.test.ts.
const pglite = () => PgStores.layer.pipe(Layer.provide(PgDatabase.layerPglite()))

Stores.cartStoreContract(pglite())
Stores.orderStoreContract(pglite())
Stores.inboxContract(pglite())
Stores.outboxContract(pglite())
Stores.transactorContract(pglite())
Stores.inventoryContract(pglite())

it.live(
  "the ledger draws from configured locations first",
  () =>
    Effect.gen(function* () {
      const inventory = yield* Inventory.Inventory
      const sku = Fx.sku()
      const [a, b] = [Fx.location("LOC-A"), Fx.location("LOC-B")]
      yield* inventory.recordStock([
        new Reservation.StockLevel({ sku, locationId: a, available: 5 }),
        new Reservation.StockLevel({ sku, locationId: b, available: 5 })
      ])

      const held = yield* inventory.reserve({
        cartId: Fx.cartId(),
        lines: [{ sku, quantity: 6 }],
        now: Fx.at("12:00"),
        expiresAt: Fx.at("12:15")
      })

      assert.deepStrictEqual(
        held.map((r) => [r.locationId, r.quantity]),
        [
          [b, 5],
          [a, 1]
        ]
      )
    }).pipe(
      Effect.provide(
        PgStores.layerWith({ locationOrder: [Ids.LocationId.make("LOC-B")] }).pipe(
          Layer.provide(PgDatabase.layerPglite())
        )
      )
    ),
  120_000
)

it.live(
  "servePglite keeps its data in the data directory across restarts",
  () =>
    Effect.gen(function* () {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "mercantile-pgdata-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const cart = Fx.cart(Fx.cartId(), 1, [[Fx.sku(), 2]])
      const session = <A, E>(use: Effect.Effect<A, E, CartStore.CartStore>) =>
        Effect.scoped(
          Effect.gen(function* () {
            const served = yield* PgDatabase.servePglite({ dataDir })
            const db = PgDatabase.layer({ url: Redacted.make(served.url), maxConnections: 1 })
            return yield* Effect.provide(use, PgStores.layer.pipe(Layer.provide(db)))
          })
        )

      yield* session(Effect.flatMap(CartStore.CartStore, (carts) => carts.save(cart)))
      const stored = yield* session(
        Effect.flatMap(CartStore.CartStore, (carts) => carts.get(cart.id))
      )

      assert.deepStrictEqual(stored, Option.some(cart))
    }).pipe(Effect.scoped),
  240_000
)
