/**
 * Orders the adapters' suites send to an ERP.
 */
import { Ids, Money, Order } from "@mercantile/domain"
import * as Either from "effect/Either"

/** When every order here was placed and last changed. */
export const placedAt = new Date("2026-01-15T12:00:00Z")

/** A paid EUR order of `quantity` units of `sku` at `unitPrice` (a decimal), untaxed. */
export const paidOrder = (
  id: string,
  sku: string,
  { quantity, unitPrice }: { readonly quantity: number; readonly unitPrice: string }
): Order.Order => {
  const unit = Either.getOrThrow(Money.fromDecimal("EUR", unitPrice))
  const total = Money.times(unit, quantity)
  return new Order.Order({
    id: Ids.OrderId.make(id),
    cartId: Ids.CartId.make(`cart-${id}`),
    currency: "EUR",
    lines: [
      new Order.OrderLine({
        sku: Ids.Sku.make(sku),
        name: sku,
        quantity,
        unitPrice: unit,
        total,
        tax: Money.zero("EUR")
      })
    ],
    total,
    tax: Money.zero("EUR"),
    status: "Paid",
    createdAt: placedAt,
    updatedAt: placedAt
  })
}
