/**
 * The shopping cart: lines of SKUs and quantities, never prices. Prices are
 * computed by the price engine from live data at the moment they are needed.
 *
 * Every change returns a new cart with the next version; stores accept a
 * change only against the version it was made from (optimistic concurrency).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Currency from "./Currency"
import { CartId, CustomerId, Sku } from "./Ids"
import { Quantity } from "./Quantity"

/** One SKU and how many of it. */
export class CartLine extends Schema.Class<CartLine>("CartLine")({
  sku: Sku,
  quantity: Quantity
}) {}

/** A cart as stored: its lines in the order they were added, and its version. */
export class Cart extends Schema.Class<Cart>("Cart")({
  id: CartId,
  version: Schema.Int.pipe(Schema.nonNegative()),
  currency: Currency.CurrencyCode,
  customerId: Schema.optional(CustomerId),
  promotionCodes: Schema.optionalWith(Schema.Array(Schema.NonEmptyTrimmedString), {
    default: () => []
  }),
  lines: Schema.Array(CartLine)
}) {}

/** The most distinct SKUs one cart may hold. */
export const maxLines = 100

/** A change to a cart was refused. */
export class CartError extends Schema.TaggedError<CartError>()("CartError", {
  reason: Schema.Literal("QuantityOutOfRange", "TooManyLines", "LineNotFound"),
  sku: Schema.optional(Sku),
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

/** An empty cart at version 0. */
export const empty = (id: CartId, currency: Currency.CurrencyCode, customerId?: CustomerId): Cart =>
  new Cart({
    id,
    version: 0,
    currency,
    lines: [],
    promotionCodes: [],
    ...(customerId ? { customerId } : {})
  })

const withLines = (cart: Cart, lines: ReadonlyArray<CartLine>): Cart =>
  new Cart({ ...cart, version: cart.version + 1, lines })

const decodeQuantity = Schema.decodeEither(Quantity)

const quantityOf = (sku: Sku, quantity: number): Either.Either<Quantity, CartError> =>
  Either.mapLeft(
    decodeQuantity(quantity),
    () =>
      new CartError({
        reason: "QuantityOutOfRange",
        sku,
        detail: `Quantity for ${sku} must be a whole number from 1 to 999, got ${quantity}`
      })
  )

/** Adds units of a SKU, merging with an existing line of the same SKU. */
export const add = (cart: Cart, sku: Sku, quantity: number): Either.Either<Cart, CartError> => {
  const existing = cart.lines.find((line) => line.sku === sku)
  if (existing === undefined) {
    if (cart.lines.length >= maxLines) {
      return Either.left(
        new CartError({
          reason: "TooManyLines",
          sku,
          detail: `A cart holds at most ${maxLines} lines`
        })
      )
    }
    return Either.map(quantityOf(sku, quantity), (q) =>
      withLines(cart, [...cart.lines, new CartLine({ sku, quantity: q })])
    )
  }
  return Either.flatMap(quantityOf(sku, quantity), (q) =>
    setQuantity(cart, sku, existing.quantity + q)
  )
}

/** Sets the quantity of an existing line. */
export const setQuantity = (
  cart: Cart,
  sku: Sku,
  quantity: number
): Either.Either<Cart, CartError> => {
  if (!cart.lines.some((line) => line.sku === sku)) {
    return Either.left(
      new CartError({ reason: "LineNotFound", sku, detail: `The cart has no line for ${sku}` })
    )
  }
  return Either.map(quantityOf(sku, quantity), (q) =>
    withLines(
      cart,
      cart.lines.map((line) => (line.sku === sku ? new CartLine({ sku, quantity: q }) : line))
    )
  )
}

/** Removes the line of a SKU. */
export const remove = (cart: Cart, sku: Sku): Either.Either<Cart, CartError> =>
  cart.lines.some((line) => line.sku === sku)
    ? Either.right(
        withLines(
          cart,
          cart.lines.filter((line) => line.sku !== sku)
        )
      )
    : Either.left(
        new CartError({ reason: "LineNotFound", sku, detail: `The cart has no line for ${sku}` })
      )

/** The total number of units in the cart. */
export const units = (cart: Cart): number =>
  cart.lines.reduce((acc, line) => acc + line.quantity, 0)
