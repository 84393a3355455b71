/**
 * Settlement: what a payment outcome does to an order, its stock and the ERP.
 *
 * A completed payment moves the order to paid, commits its reservations and
 * enqueues "record in the ERP" in one transaction. A hold that expired before
 * the money arrived is reserved again; when the stock is gone by then, the
 * money is refunded rather than an order promised that cannot be shipped.
 * A failed payment releases the holds at once or keeps them until they expire,
 * as the settings say. Every step is idempotent, and a late event never moves
 * an order backwards.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { PaymentCompleted, PaymentFailed, PaymentRefunded } from "./Event"
import { Inventory } from "./Inventory"
import { MerchantOfRecord } from "./MerchantOfRecord"
import * as Money from "./Money"
import { OrderStore } from "./OrderStore"
import { Outbox } from "./Outbox"
import { CommerceSettings } from "./Settings"
import type { StoreError } from "./StoreError"
import { Transactor } from "./Transactor"

/** Applies payment outcomes to orders. */
export class Settlement extends Context.Tag("@mercantile/domain/Settlement")<
  Settlement,
  {
    /** The money arrived: pay, commit, and enqueue the ERP write, atomically. */
    readonly completed: (event: PaymentCompleted) => Effect.Effect<void, StoreError>
    /** A payment attempt failed: release or keep the holds, as the settings say. */
    readonly failed: (event: PaymentFailed) => Effect.Effect<void, StoreError>
    /** Money went back to the shopper. */
    readonly refunded: (event: PaymentRefunded) => Effect.Effect<void, StoreError>
  }
>() {}

/** The outbox key of the ERP write of an order: one write per order, however often it is enqueued. */
export const recordKey = (orderId: string): string => `record-erp:${orderId}`

/** Builds settlement from its ports. */
export const make = Effect.gen(function* () {
  const orders = yield* OrderStore
  const inventory = yield* Inventory
  const outbox = yield* Outbox
  const merchant = yield* MerchantOfRecord
  const transactor = yield* Transactor
  const settings = yield* CommerceSettings

  const completed = (event: PaymentCompleted) =>
    Effect.gen(function* () {
      const found = yield* orders.get(event.orderId)
      if (Option.isNone(found)) {
        return yield* Effect.logWarning("payment for an unknown order ignored")
      }
      const order = found.value
      if (!Money.equals(order.total, event.amount)) {
        return yield* Effect.logError(
          "payment amount differs from the order total; order left unpaid"
        ).pipe(
          Effect.annotateLogs({
            paid: Money.toDecimal(event.amount),
            total: Money.toDecimal(order.total)
          })
        )
      }

      const settled = yield* transactor.withTransaction(
        Effect.gen(function* () {
          const outcome = yield* orders
            .transition(
              order.id,
              { _tag: "Paid", paymentReference: event.paymentReference },
              event.occurredAt
            )
            .pipe(
              Effect.catchTag("OrderTransitionError", (error) =>
                Effect.as(Effect.logWarning(error.message), undefined)
              )
            )
          if (outcome === undefined || outcome._tag === "Unchanged") return "unchanged" as const

          const committed = yield* inventory.commit(order.cartId, order.id, event.occurredAt)
          const units = committed.reduce((acc, r) => acc + r.quantity, 0)
          const wanted = order.lines.reduce((acc, l) => acc + l.quantity, 0)
          if (units < wanted) {
            const again = yield* inventory
              .reserve({
                cartId: order.cartId,
                lines: order.lines,
                now: event.occurredAt,
                expiresAt: new Date(event.occurredAt.getTime() + 60_000)
              })
              .pipe(Effect.option)
            if (Option.isNone(again)) return "unstocked" as const
            yield* inventory.commit(order.cartId, order.id, event.occurredAt)
          }
          const now = new Date(yield* Clock.currentTimeMillis)
          yield* outbox.enqueue(
            recordKey(order.id),
            { _tag: "RecordOrderInErp", orderId: order.id },
            now
          )
          return "paid" as const
        })
      )

      if (settled === "unstocked") {
        yield* Effect.logError("paid order could not be stocked; refunding")
        yield* merchant.refund(order, order.total, "out of stock").pipe(
          Effect.zipRight(orders.transition(order.id, { _tag: "Refunded" }, event.occurredAt)),
          Effect.catchAll((error) => Effect.logError("refund failed; needs an operator", error))
        )
      } else if (settled === "paid") {
        yield* Effect.logInfo("order paid")
      }
    }).pipe(
      Effect.annotateLogs({ order_id: event.orderId }),
      Effect.withSpan("Settlement.completed")
    )

  const failed = (event: PaymentFailed) =>
    Effect.gen(function* () {
      const found = yield* orders.get(event.orderId)
      if (Option.isNone(found) || found.value.status !== "AwaitingPayment") return
      if (settings.paymentFailurePolicy === "ReleaseAtOnce") {
        const released = yield* inventory.release({ cartId: found.value.cartId })
        yield* Effect.logInfo("payment failed; holds released").pipe(
          Effect.annotateLogs({ released })
        )
      } else {
        yield* Effect.logInfo("payment failed; holds kept until they expire")
      }
    }).pipe(Effect.annotateLogs({ order_id: event.orderId }), Effect.withSpan("Settlement.failed"))

  const refunded = (event: PaymentRefunded) =>
    orders.transition(event.orderId, { _tag: "Refunded" }, event.occurredAt).pipe(
      Effect.catchTag("OrderTransitionError", (error) => Effect.logWarning(error.message)),
      Effect.asVoid,
      Effect.annotateLogs({ order_id: event.orderId }),
      Effect.withSpan("Settlement.refunded")
    )

  return Settlement.of({ completed, failed, refunded })
})

/** Settlement, from its ports. */
export const layer = Layer.effect(Settlement, make)
