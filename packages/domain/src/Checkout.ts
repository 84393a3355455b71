/**
 * The checkout saga.
 *
 * 1. Revalidate the cart live: prices and stock from the ERP, never a cache.
 *    When the total differs from the one the shopper confirmed, checkout
 *    stops with a {@link PriceMoved} correction instead of charging it.
 * 2. Reserve every line (all or nothing) until the hold expires. A retry
 *    replaces the cart's own holds, so it is never blocked by them.
 * 3. Persist the order as awaiting payment, under an id derived from the cart
 *    and its version, so a repeated checkout of the same cart is the same order.
 * 4. Open the Merchant of Record transaction with the order id as its
 *    idempotency key.
 *
 * Settlement happens when the payment events arrive: see {@link Settlement}.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Cart from "./Cart"
import { CartStore } from "./CartStore"
import type { ErpError } from "./Erp"
import { ErpPrices, ErpStock } from "./Erp"
import { CartId, OrderId } from "./Ids"
import * as Live from "./internal/live"
import { Inventory, type OutOfStock } from "./Inventory"
import { MerchantOfRecord, type PaymentError, type Transaction } from "./MerchantOfRecord"
import * as Money from "./Money"
import { Order, OrderLine } from "./Order"
import { OrderStore } from "./OrderStore"
import type * as PriceEngine from "./PriceEngine"
import { Pim, type PimError } from "./Pim"
import { CommerceSettings } from "./Settings"
import type { StoreError } from "./StoreError"

/** The cart's live total is not the one the shopper confirmed; show the new one. */
export class PriceMoved extends Schema.TaggedError<PriceMoved>()("PriceMoved", {
  cartId: CartId,
  confirmed: Money.Money,
  current: Money.Money
}) {
  override get message(): string {
    return `The total changed from ${Money.toDecimal(this.confirmed)} to ${Money.toDecimal(this.current)} ${this.current.currency}`
  }
}

/** There is nothing to check out. */
export class EmptyCart extends Schema.TaggedError<EmptyCart>()("EmptyCart", { cartId: CartId }) {
  override get message(): string {
    return `Cart ${this.cartId} is empty`
  }
}

/** This cart at this version was already ordered and paid (or cancelled). */
export class AlreadyOrdered extends Schema.TaggedError<AlreadyOrdered>()("AlreadyOrdered", {
  cartId: CartId,
  orderId: OrderId
}) {
  override get message(): string {
    return `Cart ${this.cartId} was already ordered as ${this.orderId}`
  }
}

/** Why checkout stopped. */
export type CheckoutError =
  | PriceMoved
  | EmptyCart
  | AlreadyOrdered
  | OutOfStock
  | PriceEngine.PricingError
  | ErpError
  | PimError
  | PaymentError
  | StoreError

/** A started checkout: the order awaiting payment and where to pay it. */
export interface Started {
  readonly order: Order
  readonly transaction: Transaction
}

/** Checkout of a cart. */
export class Checkout extends Context.Tag("@mercantile/domain/Checkout")<
  Checkout,
  {
    /**
     * Revalidates, reserves, persists the order and opens the payment. Pass
     * the total the shopper confirmed; a different live total stops checkout.
     */
    readonly start: (
      cartId: CartId,
      confirmedTotal: Option.Option<Money.Money>
    ) => Effect.Effect<Started, CheckoutError>
  }
>() {}

/**
 * The longest order id we hand out. ERPs keep our reference in short fields
 * (SAP's `PurchaseOrderByCustomer` holds 35 characters), so ids stay within it.
 */
export const maxOrderIdLength = 35

/** FNV-1a over a string's UTF-16 code units, 64 bits, in base 36 (at most 13 characters). */
const fingerprint = (input: string): string => {
  let hash = 0xcbf29ce484222325n
  for (let i = 0; i < input.length; i++) {
    hash ^= BigInt(input.charCodeAt(i))
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return hash.toString(36)
}

/**
 * The order id of a cart at a version, so the same checkout twice is the same
 * order: `ord-<cart id>-v<version>`, or, when that would pass
 * {@link maxOrderIdLength}, `ord-<64-bit fingerprint of the cart id>-v<version>`.
 */
export const orderIdFor = (cart: Cart.Cart): OrderId => {
  const readable = `ord-${cart.id}-v${cart.version}`
  return OrderId.make(
    readable.length <= maxOrderIdLength ? readable : `ord-${fingerprint(cart.id)}-v${cart.version}`
  )
}

/** Builds the checkout from its ports. */
export const make = Effect.gen(function* () {
  const carts = yield* CartStore
  const inventory = yield* Inventory
  const orders = yield* OrderStore
  const merchant = yield* MerchantOfRecord
  const pim = yield* Pim
  const settings = yield* CommerceSettings
  const context = yield* Effect.context<ErpPrices | ErpStock | CommerceSettings>()

  const start = (cartId: CartId, confirmedTotal: Option.Option<Money.Money>) =>
    Effect.gen(function* () {
      const cart = yield* Effect.flatMap(
        carts.get(cartId),
        Option.match({
          onNone: () => Effect.fail(new EmptyCart({ cartId })),
          onSome: Effect.succeed
        })
      )
      if (cart.lines.length === 0) return yield* new EmptyCart({ cartId })

      const { priced, levels, now } = yield* Live.priceLive(cart)
      if (Option.isSome(confirmedTotal) && !Money.equals(confirmedTotal.value, priced.total)) {
        return yield* new PriceMoved({
          cartId,
          confirmed: confirmedTotal.value,
          current: priced.total
        })
      }

      const orderId = orderIdFor(cart)
      const existing = yield* orders.get(orderId)
      if (Option.isSome(existing) && existing.value.status !== "AwaitingPayment") {
        return yield* new AlreadyOrdered({ cartId, orderId })
      }
      yield* inventory.recordStock(levels)
      const expiresAt = new Date(now.getTime() + Duration.toMillis(settings.holdFor))
      yield* inventory.reserve({ cartId, lines: cart.lines, now, expiresAt })

      const names = yield* Effect.forEach(
        cart.lines,
        (line) =>
          Effect.map(
            pim.product(line.sku),
            Option.match({ onNone: () => line.sku as string, onSome: (p) => p.name })
          ),
        { concurrency: 4 }
      )
      const order = yield* orders.create(
        Option.getOrElse(
          existing,
          () =>
            new Order({
              id: orderId,
              cartId,
              currency: cart.currency,
              lines: priced.lines.map(
                (line, index) =>
                  new OrderLine({
                    sku: line.sku,
                    name: names[index] ?? line.sku,
                    quantity: line.quantity,
                    unitPrice: line.unitPrice,
                    total: line.total,
                    tax: line.tax
                  })
              ),
              total: priced.total,
              tax: priced.tax,
              status: "AwaitingPayment",
              createdAt: now,
              updatedAt: now,
              ...(cart.customerId === undefined ? {} : { customerId: cart.customerId })
            })
        )
      )
      const transaction = yield* merchant.createTransaction(order, order.id)
      yield* Effect.logInfo("checkout started").pipe(
        Effect.annotateLogs({ order_id: order.id, total: Money.toDecimal(order.total) })
      )
      return { order, transaction }
    }).pipe(
      Effect.provide(context),
      Effect.annotateLogs({ cart_id: cartId }),
      Effect.withSpan("Checkout.start")
    )

  return Checkout.of({ start })
})

/** The checkout, from its ports. */
export const layer = Layer.effect(Checkout, make)
