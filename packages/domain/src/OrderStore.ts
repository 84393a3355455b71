/**
 * Where orders live. Transitions go through the order state machine, so a
 * repeated or late event never moves an order twice or backwards.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { CartId, OrderId } from "./Ids"
import type { Order, OrderTransitionError, Outcome, Transition } from "./Order"
import type { StoreError } from "./StoreError"

/** Orders by id. */
export class OrderStore extends Context.Tag("@mercantile/domain/OrderStore")<
  OrderStore,
  {
    /** Stores a new order; storing the same id again returns the stored order unchanged. */
    readonly create: (order: Order) => Effect.Effect<Order, StoreError>
    /** The order, if it exists. */
    readonly get: (id: OrderId) => Effect.Effect<Option.Option<Order>, StoreError>
    /** The newest order opened from a cart, if any. */
    readonly byCart: (cartId: CartId) => Effect.Effect<Option.Option<Order>, StoreError>
    /** Applies a transition atomically against the stored order. */
    readonly transition: (
      id: OrderId,
      move: Transition,
      now: Date
    ) => Effect.Effect<Outcome, OrderTransitionError | StoreError>
  }
>() {}
