/**
 * Values the store contract suites build their cases from: unique ids per
 * run, carts, orders and events.
 *
 * @since 0.1.0
 */
import { Cart, Event, Ids, Money, Order, Quantity } from "@mercantile/domain"

let counter = 0

/** A short tag unique to this process run, so suites sharing a database never collide. */
export const runTag = Math.random().toString(36).slice(2, 8)

/** A fresh id text: `prefix-runTag-n`. */
export const fresh = (prefix: string): string => {
  counter += 1
  return `${prefix}-${runTag}-${counter}`
}

/** A fresh SKU. */
export const sku = (): Ids.Sku => Ids.Sku.make(fresh("SKU"))

/** A fresh cart id. */
export const cartId = (): Ids.CartId => Ids.CartId.make(fresh("cart"))

/** A fresh order id. */
export const orderId = (): Ids.OrderId => Ids.OrderId.make(fresh("order"))

/** A location id. */
export const location = (id: string): Ids.LocationId => Ids.LocationId.make(id)

/** A cart at `version` with one line per `[sku, quantity]`. */
export const cart = (
  id: Ids.CartId,
  version: number,
  lines: ReadonlyArray<readonly [Ids.Sku, number]>
): Cart.Cart =>
  new Cart.Cart({
    id,
    version,
    currency: "EUR",
    customerId: Ids.CustomerId.make("customer-1"),
    promotionCodes: ["SPRING"],
    lines: lines.map(
      ([sku, quantity]) => new Cart.CartLine({ sku, quantity: Quantity.Quantity.make(quantity) })
    )
  })

const eur = (minor: bigint) => Money.make("EUR", minor)

/** An order awaiting payment with two lines, in EUR and with amounts past 2^53 minor units. */
export const order = (id: Ids.OrderId, cartId: Ids.CartId, createdAt: Date): Order.Order =>
  new Order.Order({
    id,
    cartId,
    customerId: Ids.CustomerId.make("customer-1"),
    currency: "EUR",
    lines: [
      new Order.OrderLine({
        sku: Ids.Sku.make("MUG-1"),
        name: "Mug",
        quantity: 2,
        unitPrice: eur(1250n),
        total: eur(2500n),
        tax: eur(399n)
      }),
      new Order.OrderLine({
        sku: Ids.Sku.make("VAULT-1"),
        name: "Vault",
        quantity: 1,
        unitPrice: eur(9007199254740993n),
        total: eur(9007199254740993n),
        tax: eur(0n)
      })
    ],
    total: eur(9007199254743493n),
    tax: eur(399n),
    status: "AwaitingPayment",
    createdAt,
    updatedAt: createdAt
  })

/** A stock change about `sku` at `occurredAt`, from the ERP. */
export const stockChanged = (
  eventId: string,
  sku: Ids.Sku,
  occurredAt: Date,
  source: Event.Source = "erp"
): Event.UpstreamEvent =>
  new Event.StockChanged({
    eventId: Ids.EventId.make(eventId),
    source,
    occurredAt,
    sku,
    available: 3
  })

/** A completed payment for `orderId`. */
export const paymentCompleted = (
  eventId: string,
  orderId: Ids.OrderId,
  occurredAt: Date
): Event.UpstreamEvent =>
  new Event.PaymentCompleted({
    eventId: Ids.EventId.make(eventId),
    source: "payments",
    occurredAt,
    orderId,
    paymentReference: "txn_1",
    amount: eur(1999n)
  })

/** A wall-clock instant on the contract's reference day, `hh:mm[:ss]` UTC. */
export const at = (time: string): Date =>
  new Date(`2025-03-14T${time.length === 5 ? `${time}:00` : time}Z`)
