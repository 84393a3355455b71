/**
 * The outbox: side effects written in the same transaction as the state that
 * causes them, and delivered at least once by a worker.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { OrderId } from "./Ids"
import type { StoreError } from "./StoreError"

/** A side effect to deliver. */
export const Message = Schema.Union(Schema.TaggedStruct("RecordOrderInErp", { orderId: OrderId }))
/** @see Message */
export type Message = typeof Message.Type

/** A message claimed for delivery. */
export interface Claimed {
  readonly id: string
  readonly message: Message
  readonly attempts: number
}

/** At-least-once delivery of side effects. */
export class Outbox extends Context.Tag("@mercantile/domain/Outbox")<
  Outbox,
  {
    /** Enqueues a message under a key; enqueuing the same key again does nothing. */
    readonly enqueue: (key: string, message: Message, now: Date) => Effect.Effect<void, StoreError>
    /** Claims up to `limit` messages due at `now`, hiding them from other workers until `leaseUntil`. */
    readonly claim: (
      limit: number,
      now: Date,
      leaseUntil: Date
    ) => Effect.Effect<ReadonlyArray<Claimed>, StoreError>
    /** Marks a message delivered. */
    readonly complete: (id: string) => Effect.Effect<void, StoreError>
    /** Puts a message back to be tried again at `retryAt`, recording why it failed. */
    readonly retry: (id: string, retryAt: Date, error: string) => Effect.Effect<void, StoreError>
  }
>() {}
