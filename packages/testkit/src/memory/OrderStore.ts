/**
 * Orders in memory; transitions go through the order state machine.
 *
 * @since 0.1.0
 */
import { Order, OrderStore as Port, StoreError } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { MemoryDb, setIn } from "./Transactor"

/** Builds the memory `OrderStore`. */
export const make = Effect.map(MemoryDb, (db) =>
  Port.OrderStore.of({
    create: (order) =>
      db.run((state) => {
        const stored = state.orders.get(order.id)
        return Either.right(
          stored === undefined
            ? [order, { ...state, orders: setIn(state.orders, order.id, order) }]
            : [stored, state]
        )
      }),
    get: (id) => Effect.map(db.read, (state) => Option.fromNullable(state.orders.get(id))),
    byCart: (cartId) =>
      Effect.map(db.read, (state) => {
        let newest: Order.Order | undefined
        for (const order of state.orders.values()) {
          if (order.cartId !== cartId) continue
          if (newest === undefined || order.createdAt >= newest.createdAt) newest = order
        }
        return Option.fromNullable(newest)
      }),
    transition: (id, move, now) =>
      db.run<Order.Outcome, Order.OrderTransitionError | StoreError.StoreError>((state) => {
        const stored = state.orders.get(id)
        if (stored === undefined) {
          return Either.left(
            new StoreError.StoreError({
              operation: "OrderStore.transition",
              detail: `No order ${id}`
            })
          )
        }
        return Either.map(Order.transition(stored, move, now), (outcome) =>
          outcome._tag === "Changed"
            ? ([outcome, { ...state, orders: setIn(state.orders, id, outcome.order) }] as const)
            : ([outcome, state] as const)
        )
      })
  })
)

/** Provides the memory `OrderStore` over a `MemoryDb`. */
export const layer: Layer.Layer<Port.OrderStore, never, MemoryDb> = Layer.effect(
  Port.OrderStore,
  make
)
