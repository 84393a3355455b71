/**
 * The order state machine, from checkout to settlement.
 *
 * ```
 * AwaitingPayment ──paid──▶ Paid ──recorded──▶ RecordedInErp ──refunded──▶ Refunded
 *        │                   └──────────────refunded──────────────────────▲
 *        └──cancelled──▶ Cancelled
 * ```
 *
 * Every transition is idempotent: applying the move an order already made
 * succeeds and changes nothing. A move backwards (a late "payment failed"
 * after "paid") is refused with a typed error and changes nothing.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Currency from "./Currency"
import { CartId, CustomerId, OrderId, Sku } from "./Ids"
import * as Money from "./Money"

/** Where an order stands. */
export const OrderStatus = Schema.Literal(
  "AwaitingPayment",
  "Paid",
  "RecordedInErp",
  "Cancelled",
  "Refunded"
)
/** @see OrderStatus */
export type OrderStatus = typeof OrderStatus.Type

/** A line as it was charged: the price is fixed at checkout. */
export class OrderLine extends Schema.Class<OrderLine>("OrderLine")({
  sku: Sku,
  name: Schema.String,
  quantity: Schema.Int.pipe(Schema.positive()),
  unitPrice: Money.Money,
  total: Money.Money,
  tax: Money.Money
}) {}

/** An order and what the outside world knows of it. */
export class Order extends Schema.Class<Order>("Order")({
  id: OrderId,
  cartId: CartId,
  customerId: Schema.optional(CustomerId),
  currency: Currency.CurrencyCode,
  lines: Schema.Array(OrderLine),
  total: Money.Money,
  tax: Money.Money,
  status: OrderStatus,
  /** The Merchant of Record's transaction. */
  paymentReference: Schema.optional(Schema.String),
  /** The ERP's id for the order, once recorded. */
  erpReference: Schema.optional(Schema.String),
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf
}) {}

/** A transition the order may be asked to make. */
export type Transition =
  | { readonly _tag: "Paid"; readonly paymentReference: string }
  | { readonly _tag: "RecordedInErp"; readonly erpReference: string }
  | { readonly _tag: "Cancelled" }
  | { readonly _tag: "Refunded" }

/** A transition that the order's status does not allow. */
export class OrderTransitionError extends Schema.TaggedError<OrderTransitionError>()(
  "OrderTransitionError",
  {
    orderId: OrderId,
    from: OrderStatus,
    to: OrderStatus
  }
) {
  override get message(): string {
    return `Order ${this.orderId} cannot move from ${this.from} to ${this.to}`
  }
}

const allowed: Record<OrderStatus, ReadonlyArray<OrderStatus>> = {
  AwaitingPayment: ["Paid", "Cancelled"],
  Paid: ["RecordedInErp", "Refunded"],
  RecordedInErp: ["Refunded"],
  Cancelled: [],
  Refunded: []
}

/** How far along an order is; a transition never lowers it. */
const rank: Record<OrderStatus, number> = {
  AwaitingPayment: 0,
  Paid: 1,
  RecordedInErp: 2,
  Cancelled: 3,
  Refunded: 3
}

/**
 * The outcome of asking an order to make a transition: `Changed` with the new
 * order, `Unchanged` when it had already made it (or moved past it), or an
 * error when the move is not allowed.
 */
export type Outcome =
  | { readonly _tag: "Changed"; readonly order: Order }
  | { readonly _tag: "Unchanged"; readonly order: Order }

/** Applies a transition at `now`. */
export const transition = (
  order: Order,
  move: Transition,
  now: Date
): Either.Either<Outcome, OrderTransitionError> => {
  const to = move._tag
  if (order.status === to) return Either.right({ _tag: "Unchanged", order })
  if (!allowed[order.status].includes(to)) {
    // A late event for a step the order has already passed is not an error.
    if (rank[order.status] > rank[to] && order.status !== "Cancelled") {
      return Either.right({ _tag: "Unchanged", order })
    }
    return Either.left(new OrderTransitionError({ orderId: order.id, from: order.status, to }))
  }
  const extra =
    move._tag === "Paid"
      ? { paymentReference: move.paymentReference }
      : move._tag === "RecordedInErp"
        ? { erpReference: move.erpReference }
        : {}
  return Either.right({
    _tag: "Changed",
    order: new Order({ ...order, ...extra, status: to, updatedAt: now })
  })
}
