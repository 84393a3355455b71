/**
 * The inbox in PostgreSQL. `(source, event_id)` is the primary key, so a
 * second receipt of an event is a `Duplicate`; `inbox_subjects` keeps the
 * latest `occurred_at` per subject, so an older event is `Stale`.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Event, Inbox } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { orStoreError } from "./internal/errors"

const encodeEvent = Schema.encode(Event.UpstreamEvent)

/** Builds the PostgreSQL `Inbox`. */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const receive = (event: Event.UpstreamEvent) =>
    Effect.gen(function* () {
      const subject = Event.subject(event)
      const body = JSON.stringify(yield* encodeEvent(event))

      const inserted = yield* sql`
        INSERT INTO inbox_events (source, event_id, subject, occurred_at, tag, body, receipt)
        VALUES (${event.source}, ${event.eventId}, ${subject}, ${event.occurredAt},
          ${event._tag}, ${body}::jsonb, 'New')
        ON CONFLICT (source, event_id) DO NOTHING
        RETURNING event_id`
      if (inserted.length === 0) return "Duplicate" as const

      const advanced = yield* sql`
        INSERT INTO inbox_subjects (subject, occurred_at) VALUES (${subject}, ${event.occurredAt})
        ON CONFLICT (subject) DO UPDATE SET occurred_at = EXCLUDED.occurred_at
        WHERE inbox_subjects.occurred_at <= EXCLUDED.occurred_at
        RETURNING subject`
      if (advanced.length > 0) return "New" as const

      yield* sql`
        UPDATE inbox_events SET receipt = 'Stale'
        WHERE source = ${event.source} AND event_id = ${event.eventId}`
      yield* Effect.logInfo("Stale event recorded, not applied").pipe(
        Effect.annotateLogs({ source: event.source, event_id: event.eventId, subject })
      )
      return "Stale" as const
    }).pipe(
      sql.withTransaction,
      orStoreError("Inbox.receive"),
      Effect.withSpan("Inbox.receive", {
        attributes: { source: event.source, event_id: event.eventId }
      })
    )

  return Inbox.Inbox.of({ receive })
})

/** Provides the PostgreSQL `Inbox` over a `SqlClient`. */
export const layer: Layer.Layer<Inbox.Inbox, never, SqlClient.SqlClient> = Layer.effect(
  Inbox.Inbox,
  make
)
