"use server"
/**
 * The storefront's Server Actions: add, change quantity, remove, check out.
 *
 * Each decodes its form first (SKU and quantity only; unknown fields are
 * refused), then runs one use case on the shared runtime. Errors come back
 * as data the page shows; nothing is written when the input is refused.
 *
 * @since 0.1.0
 */
import {
  CacheTag,
  CartService,
  Checkout,
  Ids,
  Money,
  OrderStore,
  Settings
} from "@mercantile/domain"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { refresh, updateTag } from "next/cache"
import { redirect } from "next/navigation"
import * as ActionInput from "../src/ActionInput"
import type { ActionState } from "../src/ActionState"
import * as CartCookie from "../src/CartCookie"
import { amount } from "../src/reads"
import { runExit } from "../src/runtime"

/** An error as the page shows it; a defect is logged and shown as a generic failure. */
const failure = <E>(cause: Cause.Cause<E>): ActionState =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => ({
      status: "error",
      error: "Unexpected",
      message: "Something went wrong on our side. Please try again."
    }),
    onSome: (error) => {
      const tagged = error as { readonly _tag?: string; readonly message?: string }
      return {
        status: "error",
        error: tagged._tag ?? "Error",
        message: tagged.message ?? String(error)
      }
    }
  })

const logged = <A, E, R>(effect: Effect.Effect<A, E, R>, action: string) =>
  effect.pipe(
    Effect.tapErrorCause((cause) =>
      Cause.isFailType(cause) ? Effect.void : Effect.logError(`${action} failed`, cause)
    ),
    Effect.withSpan(`ServerAction.${action}`)
  )

/** Adds units of a SKU to the shopper's cart. */
export async function addToCart(_: ActionState, form: FormData): Promise<ActionState> {
  const input = await runExit(ActionInput.decode(ActionInput.LineInput)(form))
  if (Exit.isFailure(input)) return failure(input.cause)
  const known = await CartCookie.read()
  const cartId = known ?? CartCookie.fresh()
  const { sku, quantity } = input.value
  const exit = await runExit(
    logged(
      Effect.flatMap(CartService.CartService, (cart) => cart.add(cartId, sku, quantity)),
      "addToCart"
    )
  )
  if (Exit.isFailure(exit)) return failure(exit.cause)
  // The cookie names the cart only once the cart was saved.
  if (known === undefined) await CartCookie.remember(cartId)
  refresh()
  return { status: "ok", message: `Added ${quantity} × ${sku} to your cart.` }
}

/** Sets the quantity of a line of the shopper's cart. */
export async function changeQuantity(_: ActionState, form: FormData): Promise<ActionState> {
  const input = await runExit(ActionInput.decode(ActionInput.LineInput)(form))
  if (Exit.isFailure(input)) return failure(input.cause)
  const cartId = await CartCookie.read()
  if (cartId === undefined)
    return { status: "error", error: "CartNotFound", message: "Your cart is empty." }
  const { sku, quantity } = input.value
  const exit = await runExit(
    logged(
      Effect.flatMap(CartService.CartService, (cart) => cart.setQuantity(cartId, sku, quantity)),
      "changeQuantity"
    )
  )
  if (Exit.isFailure(exit)) return failure(exit.cause)
  refresh()
  return { status: "ok", message: `${sku}: quantity set to ${quantity}.` }
}

/** Removes a line from the shopper's cart. */
export async function removeLine(_: ActionState, form: FormData): Promise<ActionState> {
  const input = await runExit(ActionInput.decode(ActionInput.RemoveInput)(form))
  if (Exit.isFailure(input)) return failure(input.cause)
  const cartId = await CartCookie.read()
  if (cartId === undefined)
    return { status: "error", error: "CartNotFound", message: "Your cart is empty." }
  const exit = await runExit(
    logged(
      Effect.flatMap(CartService.CartService, (cart) => cart.remove(cartId, input.value.sku)),
      "removeLine"
    )
  )
  if (Exit.isFailure(exit)) return failure(exit.cause)
  refresh()
  return { status: "ok", message: `${input.value.sku} removed.` }
}

/**
 * Checks the cart out at the total the shopper confirmed and sends them to
 * the Merchant of Record's payment page. When the live total differs, it
 * answers the new total to confirm instead.
 */
export async function checkout(_: ActionState, form: FormData): Promise<ActionState> {
  const input = await runExit(
    Effect.flatMap(ActionInput.decode(ActionInput.CheckoutInput)(form), ({ confirmedTotal }) =>
      Effect.flatMap(Settings.CommerceSettings, (settings) =>
        Effect.mapError(
          Money.fromDecimal(settings.currency, confirmedTotal),
          (error) => new ActionInput.InvalidInput({ detail: `confirmedTotal: ${error.message}` })
        )
      )
    )
  )
  if (Exit.isFailure(input)) return failure(input.cause)
  const cartId = await CartCookie.read()
  if (cartId === undefined)
    return { status: "error", error: "EmptyCart", message: "Your cart is empty." }

  const exit = await runExit(
    logged(
      Effect.flatMap(Checkout.Checkout, (c) => c.start(cartId, Option.some(input.value))),
      "checkout"
    )
  )
  if (Exit.isFailure(exit)) {
    const error = Cause.failureOption(exit.cause)
    if (Option.isSome(error) && error.value._tag === "PriceMoved") {
      return {
        status: "price-moved",
        message: `The total changed from ${Money.format(error.value.confirmed)} to ${Money.format(error.value.current)}. Please confirm the new total.`,
        current: amount(error.value.current)
      }
    }
    return failure(exit.cause)
  }
  // The holds changed what is free to sell: show it on the next read.
  for (const line of exit.value.order.lines) updateTag(CacheTag.stock(line.sku))
  redirect(exit.value.transaction.checkoutUrl)
}

/** The order statuses that mean the shopper has paid for the order's cart. */
const paid = new Set(["Paid", "RecordedInErp", "Refunded"])

/**
 * Forgets the shopper's cart once its order is paid, so the next add starts
 * a new cart. Only the cart of that order is forgotten: a shopper who went
 * on shopping in a new cart keeps it. Answers whether the cookie was cleared.
 */
export async function forgetPaidCart(orderId: string): Promise<boolean> {
  const cartId = await CartCookie.read()
  if (cartId === undefined || !Schema.is(Ids.OrderId)(orderId)) return false
  const found = await runExit(
    logged(
      Effect.flatMap(OrderStore.OrderStore, (orders) => orders.get(orderId)),
      "forgetPaidCart"
    )
  )
  if (Exit.isFailure(found) || Option.isNone(found.value)) return false
  const order = found.value.value
  if (order.cartId !== cartId || !paid.has(order.status)) return false
  await CartCookie.forget()
  return true
}
