/**
 * Where carts live, with optimistic concurrency.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Cart } from "./Cart"
import { CartId } from "./Ids"
import type { StoreError } from "./StoreError"

/** The cart changed since it was read: read it again and reapply the change. */
export class CartConflict extends Schema.TaggedError<CartConflict>()("CartConflict", {
  cartId: CartId,
  expectedVersion: Schema.Int,
  actualVersion: Schema.Int
}) {
  override get message(): string {
    return `Cart ${this.cartId} is at version ${this.actualVersion}, not ${this.expectedVersion}`
  }
}

/** Carts by id. */
export class CartStore extends Context.Tag("@mercantile/domain/CartStore")<
  CartStore,
  {
    /** The cart, if it exists. */
    readonly get: (id: CartId) => Effect.Effect<Option.Option<Cart>, StoreError>
    /**
     * Stores `cart`, which must be exactly one version past the stored one (or
     * version 1 of a new cart); otherwise nothing is written.
     */
    readonly save: (cart: Cart) => Effect.Effect<void, CartConflict | StoreError>
  }
>() {}
