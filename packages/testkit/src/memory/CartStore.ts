/**
 * Carts in memory, with the same optimistic concurrency as the database.
 *
 * @since 0.1.0
 */
import { CartStore as Port } from "@mercantile/domain"
import type { Cart } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { MemoryDb, setIn } from "./Transactor"

/** Builds the memory `CartStore`. */
export const make = Effect.map(MemoryDb, (db) =>
  Port.CartStore.of({
    get: (id) => Effect.map(db.read, (state) => Option.fromNullable(state.carts.get(id))),
    save: (cart: Cart.Cart) =>
      db.run((state) => {
        const stored = state.carts.get(cart.id)?.version ?? 0
        if (cart.version !== stored + 1) {
          return Either.left(
            new Port.CartConflict({
              cartId: cart.id,
              expectedVersion: cart.version - 1,
              actualVersion: stored
            })
          )
        }
        return Either.right([undefined, { ...state, carts: setIn(state.carts, cart.id, cart) }])
      })
  })
)

/** Provides the memory `CartStore` over a `MemoryDb`. */
export const layer: Layer.Layer<Port.CartStore, never, MemoryDb> = Layer.effect(
  Port.CartStore,
  make
)
