/**
 * The cart use case: add, change and remove lines, and show the cart priced
 * live. The caller sends SKUs and quantities only; every price comes from the
 * ERP at the moment of the mutation, and stock is checked then too.
 *
 * Saves are optimistic: when another request changed the cart in between, the
 * change is re-applied to the newer cart, so two tabs adding at once never
 * lose an update.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Cart from "./Cart"
import { CartConflict, CartStore } from "./CartStore"
import type { ErpError } from "./Erp"
import { ErpPrices, ErpStock } from "./Erp"
import { CartId, Sku } from "./Ids"
import * as Live from "./internal/live"
import { Inventory, OutOfStock } from "./Inventory"
import type * as PriceEngine from "./PriceEngine"
import { CommerceSettings } from "./Settings"
import type { StoreError } from "./StoreError"

/** The ERP does not sell this SKU. */
export class UnknownSku extends Schema.TaggedError<UnknownSku>()("UnknownSku", { sku: Sku }) {
  override get message(): string {
    return `No product with SKU ${this.sku}`
  }
}

/** The cart does not exist. */
export class CartNotFound extends Schema.TaggedError<CartNotFound>()("CartNotFound", {
  cartId: CartId
}) {
  override get message(): string {
    return `No cart ${this.cartId}`
  }
}

/** A cart and its live prices. */
export interface PricedCartView {
  readonly cart: Cart.Cart
  readonly priced: PriceEngine.PricedCart
}

/** Why a cart change was refused. */
export type CartServiceError =
  | Cart.CartError
  | CartConflict
  | CartNotFound
  | UnknownSku
  | OutOfStock
  | PriceEngine.PricingError
  | ErpError
  | StoreError

/** Cart mutations and the priced cart. */
export class CartService extends Context.Tag("@mercantile/domain/CartService")<
  CartService,
  {
    /** The cart priced live; an empty cart when `cartId` names none. */
    readonly view: (cartId: CartId) => Effect.Effect<PricedCartView, CartServiceError>
    /** Adds units of a SKU to the cart, creating the cart when it does not exist. */
    readonly add: (
      cartId: CartId,
      sku: Sku,
      quantity: number
    ) => Effect.Effect<PricedCartView, CartServiceError>
    /** Sets the quantity of a line. */
    readonly setQuantity: (
      cartId: CartId,
      sku: Sku,
      quantity: number
    ) => Effect.Effect<PricedCartView, CartServiceError>
    /** Removes a line. */
    readonly remove: (cartId: CartId, sku: Sku) => Effect.Effect<PricedCartView, CartServiceError>
  }
>() {}

/** How often a change is re-applied after losing a race with another request. */
const conflictRetries = 16

/** Builds the cart service from its ports. */
export const make = Effect.gen(function* () {
  const store = yield* CartStore
  const settings = yield* CommerceSettings
  const context = yield* Effect.context<ErpPrices | ErpStock | Inventory | CommerceSettings>()

  const load = (cartId: CartId) =>
    Effect.map(
      store.get(cartId),
      Option.getOrElse(() => Cart.empty(cartId, settings.currency))
    )

  const view = (cartId: CartId) =>
    Effect.gen(function* () {
      const cart = yield* load(cartId)
      const { priced } = yield* Live.priceLive(cart)
      return { cart, priced }
    }).pipe(Effect.provide(context))

  /**
   * Prices the changed cart live and checks each line that grew against live
   * stock less what others have promised. Lowering or removing a line is
   * never refused for stock.
   */
  const checkStock = (before: Cart.Cart, cart: Cart.Cart) =>
    Effect.gen(function* () {
      const facts = yield* Live.read(cart)
      const inventory = yield* Inventory
      const known = Live.totalsBySku(facts.levels)
      const grown = cart.lines.filter(
        (line) => line.quantity > (before.lines.find((l) => l.sku === line.sku)?.quantity ?? 0)
      )
      const unknown = grown.find((line) => !known.has(line.sku))
      if (unknown !== undefined) return yield* new UnknownSku({ sku: unknown.sku })

      const priced = yield* Live.price(facts)
      yield* inventory.recordStock(facts.levels)
      const ledger = yield* inventory.availability(
        grown.map((line) => line.sku),
        facts.now
      )
      for (const line of grown) {
        const free = Live.freeToSell(line.sku, known.get(line.sku) ?? 0, ledger)
        if (line.quantity > free) {
          return yield* new OutOfStock({ sku: line.sku, requested: line.quantity, available: free })
        }
      }
      return priced
    })

  const mutate = (
    cartId: CartId,
    change: (cart: Cart.Cart) => Either.Either<Cart.Cart, Cart.CartError>
  ) =>
    Effect.gen(function* () {
      const current = yield* load(cartId)
      const next = yield* change(current)
      const priced = yield* checkStock(current, next)
      yield* store.save(next)
      return { cart: next, priced }
    }).pipe(
      Effect.retry({
        while: (error) => error._tag === "CartConflict",
        schedule: Schedule.recurs(conflictRetries)
      }),
      Effect.provide(context),
      Effect.annotateLogs({ cart_id: cartId })
    )

  return CartService.of({
    view: (cartId) => view(cartId).pipe(Effect.withSpan("CartService.view")),
    add: (cartId, sku, quantity) =>
      mutate(cartId, (cart) => Cart.add(cart, sku, quantity)).pipe(
        Effect.withSpan("CartService.add", { attributes: { sku, quantity } })
      ),
    setQuantity: (cartId, sku, quantity) =>
      mutate(cartId, (cart) => Cart.setQuantity(cart, sku, quantity)).pipe(
        Effect.withSpan("CartService.setQuantity", { attributes: { sku, quantity } })
      ),
    remove: (cartId, sku) =>
      mutate(cartId, (cart) => Cart.remove(cart, sku)).pipe(
        Effect.withSpan("CartService.remove", { attributes: { sku } })
      )
  })
})

/** The cart service, from its ports. */
export const layer = Layer.effect(CartService, make)
