/**
 * Event ingestion: what happens after a webhook's signature was verified and
 * its body decoded into domain events.
 *
 * Each event is received by the inbox and applied in the same transaction,
 * so it is applied exactly once however often it is delivered; an event
 * older than one already received about the same subject is recorded and
 * not applied. After the transaction, the few cache tags the event concerns
 * are invalidated.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CacheInvalidation } from "./CacheInvalidation"
import * as CacheTag from "./CacheTag"
import { ErpStock } from "./Erp"
import type { StockChanged, UpstreamEvent } from "./Event"
import { Inbox, type Receipt } from "./Inbox"
import { Inventory } from "./Inventory"
import { Settlement } from "./Settlement"
import type { StoreError } from "./StoreError"
import { Transactor } from "./Transactor"

/** Receives, applies and invalidates upstream events. */
export class EventIngestion extends Context.Tag("@mercantile/domain/EventIngestion")<
  EventIngestion,
  {
    /** Ingests events in order; returns what the inbox made of each. */
    readonly ingest: (
      events: ReadonlyArray<UpstreamEvent>
    ) => Effect.Effect<ReadonlyArray<Receipt>, StoreError>
  }
>() {}

/** Builds event ingestion from its ports. */
export const make = Effect.gen(function* () {
  const inbox = yield* Inbox
  const inventory = yield* Inventory
  const stock = yield* ErpStock
  const settlement = yield* Settlement
  const transactor = yield* Transactor
  const cache = yield* CacheInvalidation

  /** A notification without figures: read the SKU's stock from the ERP now. */
  const refreshStock = (event: StockChanged) =>
    stock.levels([event.sku]).pipe(
      Effect.flatMap(inventory.recordStock),
      Effect.catchTag("ErpError", (error) =>
        Effect.logWarning("stock refresh failed", error.message)
      )
    )

  const apply = (event: UpstreamEvent): Effect.Effect<void, StoreError> => {
    switch (event._tag) {
      case "StockChanged":
        return event.available === undefined || event.locationId === undefined
          ? refreshStock(event)
          : inventory.recordStock([
              {
                sku: event.sku,
                locationId: event.locationId,
                available: event.available,
                version: BigInt(event.occurredAt.getTime())
              }
            ])
      case "PaymentCompleted":
        return settlement.completed(event)
      case "PaymentFailed":
        return settlement.failed(event)
      case "PaymentRefunded":
        return settlement.refunded(event)
      case "PriceChanged":
      case "ProductChanged":
      case "ContentChanged":
      case "OrderStatusChanged":
        return Effect.void
    }
  }

  const ingestOne = (event: UpstreamEvent) =>
    Effect.gen(function* () {
      const receipt = yield* transactor.withTransaction(
        Effect.flatMap(inbox.receive(event), (receipt) =>
          receipt === "New" ? Effect.as(apply(event), receipt) : Effect.succeed(receipt)
        )
      )
      if (receipt === "New") {
        const tags = CacheTag.forEvent(event)
        if (tags.length > 0) yield* cache.invalidate(tags)
        yield* Effect.logDebug("event applied").pipe(Effect.annotateLogs({ tags: tags.join(" ") }))
      } else {
        yield* Effect.logInfo(`event not applied: ${receipt}`)
      }
      return receipt
    }).pipe(
      Effect.annotateLogs({
        event_id: event.eventId,
        event_type: event._tag,
        source: event.source
      }),
      Effect.withSpan("EventIngestion.ingest")
    )

  return EventIngestion.of({
    ingest: (events) => Effect.forEach(events, ingestOne)
  })
})

/** Event ingestion, from its ports. */
export const layer = Layer.effect(EventIngestion, make)
