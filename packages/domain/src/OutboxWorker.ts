/**
 * The outbox worker: delivers side effects at least once, with retries.
 *
 * Recording an order in the ERP first looks the order up by our own
 * reference, so a write whose answer was lost (a timeout while the ERP in
 * fact saved it) is never sent twice. A rate limit or an unavailable ERP is
 * retried after the delay the ERP asked for, or an exponential backoff.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { ErpOrders, ErpStock, type ErpError } from "./Erp"
import type { OrderId } from "./Ids"
import { Inventory } from "./Inventory"
import type { Order } from "./Order"
import { OrderStore } from "./OrderStore"
import { Outbox, type Claimed } from "./Outbox"
import type { StoreError } from "./StoreError"

/** Delivery of outbox messages. */
export class OutboxWorker extends Context.Tag("@mercantile/domain/OutboxWorker")<
  OutboxWorker,
  {
    /** Claims and delivers the messages due now; returns how many were delivered. */
    readonly runOnce: Effect.Effect<number, StoreError>
  }
>() {}

/** How long a claimed message stays hidden from other workers. */
const lease = Duration.minutes(2)

/** The delay after failed attempt number `attempts` (from 1): 1 s, doubling, at most 10 minutes. */
export const backoff = (attempts: number): Duration.Duration =>
  Duration.millis(Math.min(600_000, 1_000 * 2 ** Math.min(Math.max(attempts - 1, 0), 20)))

/** Builds the worker from its ports. */
export const make = Effect.gen(function* () {
  const outbox = yield* Outbox
  const orders = yield* OrderStore
  const erp = yield* ErpOrders
  const stock = yield* ErpStock
  const inventory = yield* Inventory

  /** Records a paid order once (found by our reference first) and marks it recorded. */
  const record = (order: Order) =>
    Effect.gen(function* () {
      const existing = yield* erp.find(order.id)
      const ref = Option.isSome(existing) ? existing.value : yield* erp.record(order)
      const now = new Date(yield* Clock.currentTimeMillis)
      yield* orders
        .transition(order.id, { _tag: "RecordedInErp", erpReference: ref.erpReference }, now)
        .pipe(Effect.catchTag("OrderTransitionError", (e) => Effect.logWarning(e.message)))
      return ref
    })

  const recordOrder = (orderId: OrderId) =>
    Effect.gen(function* () {
      const found = yield* orders.get(orderId)
      if (Option.isNone(found)) return yield* Effect.logWarning("outbox names an unknown order")
      const order = found.value
      // A recorded order is still released: an earlier delivery may have died before that step.
      if (order.status !== "Paid" && order.status !== "RecordedInErp") return

      const ref = order.status === "RecordedInErp" ? undefined : yield* record(order)

      // The ERP now counts the sale: read its new figures before dropping our own promise of the
      // same units, so for a moment they are counted twice (safe) and never zero times (oversell).
      const levels = yield* stock.levels(order.lines.map((line) => line.sku))
      yield* inventory.recordStock(levels)
      yield* inventory.release({ orderId: order.id })
      if (ref !== undefined) {
        yield* Effect.logInfo("order recorded in the ERP").pipe(
          Effect.annotateLogs({ erp_reference: ref.erpReference })
        )
      }
    }).pipe(Effect.annotateLogs({ order_id: orderId }))

  const deliver = (claimed: Claimed, now: Date) =>
    recordOrder(claimed.message.orderId).pipe(
      Effect.zipRight(outbox.complete(claimed.id)),
      Effect.as(1),
      Effect.catchTag("ErpError", (error: ErpError) => {
        const delay =
          error.retryAfter !== undefined
            ? Duration.max(error.retryAfter, Duration.seconds(1))
            : backoff(claimed.attempts)
        const retryAt = new Date(now.getTime() + Duration.toMillis(delay))
        const log =
          error.reason === "Rejected" ||
          error.reason === "Decode" ||
          error.reason === "Unauthorized"
            ? Effect.logError
            : Effect.logWarning
        return log("ERP write failed; retrying").pipe(
          Effect.annotateLogs({
            reason: error.reason,
            retry_in_ms: Duration.toMillis(delay),
            attempts: claimed.attempts
          }),
          Effect.zipRight(outbox.retry(claimed.id, retryAt, error.message)),
          Effect.as(0)
        )
      })
    )

  const runOnce = Effect.gen(function* () {
    const now = new Date(yield* Clock.currentTimeMillis)
    const claimed = yield* outbox.claim(10, now, new Date(now.getTime() + Duration.toMillis(lease)))
    const delivered = yield* Effect.forEach(claimed, (message) => deliver(message, now))
    return delivered.reduce((acc, n) => acc + n, 0)
  }).pipe(Effect.withSpan("OutboxWorker.runOnce"))

  return OutboxWorker.of({ runOnce })
})

/** The worker, from its ports. */
export const layer = Layer.effect(OutboxWorker, make)

/** Runs the worker every `every` until the scope closes, logging and surviving store failures. */
export const loop = (every: Duration.DurationInput) =>
  Effect.flatMap(OutboxWorker, (worker) =>
    worker.runOnce.pipe(
      Effect.catchAll((error) => Effect.logError("outbox run failed", error.message)),
      Effect.repeat(Schedule.spaced(every))
    )
  )
