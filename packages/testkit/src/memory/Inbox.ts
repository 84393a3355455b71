/**
 * The inbox in memory: an event is `New` once, `Duplicate` after, and
 * `Stale` when a newer event about the same subject came first.
 *
 * @since 0.1.0
 */
import { Event, Inbox as Port } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { MemoryDb, setIn } from "./Transactor"

/** Builds the memory `Inbox`. */
export const make = Effect.map(MemoryDb, (db) =>
  Port.Inbox.of({
    receive: (event) =>
      db.run((state) => {
        const key = `${event.source}/${event.eventId}`
        if (state.inbox.has(key)) return Either.right(["Duplicate" as const, state])

        const subject = Event.subject(event)
        const latest = state.subjects.get(subject)
        const stale = latest !== undefined && latest.getTime() > event.occurredAt.getTime()
        const receipt: Port.Receipt = stale ? "Stale" : "New"
        return Either.right([
          receipt,
          {
            ...state,
            inbox: setIn(state.inbox, key, { event, subject, receipt }),
            subjects: stale ? state.subjects : setIn(state.subjects, subject, event.occurredAt)
          }
        ])
      })
  })
)

/** Provides the memory `Inbox` over a `MemoryDb`. */
export const layer: Layer.Layer<Port.Inbox, never, MemoryDb> = Layer.effect(Port.Inbox, make)
