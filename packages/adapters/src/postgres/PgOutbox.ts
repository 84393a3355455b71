/**
 * The outbox in PostgreSQL. Workers claim due messages with
 * `FOR UPDATE SKIP LOCKED` and push them out of sight until their lease
 * ends; a message that is never completed comes back (at least once).
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Outbox, StoreError } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { orStoreError } from "./internal/errors"

const ClaimedRow = Schema.Struct({
  id: Schema.String,
  message: Outbox.Message,
  attempts: Schema.Int,
  due_at: Schema.DateFromSelf
})

const decodeClaimed = Schema.decodeUnknown(Schema.Array(ClaimedRow))
const encodeMessage = Schema.encode(Outbox.Message)

/** Builds the PostgreSQL `Outbox`. */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const touch = (operation: string, id: string, rows: ReadonlyArray<unknown>) =>
    rows.length === 1
      ? Effect.void
      : Effect.fail(new StoreError.StoreError({ operation, detail: `No outbox message ${id}` }))

  const idOf = (operation: string, id: string) =>
    /^\d{1,18}$/.test(id)
      ? Effect.succeed(BigInt(id))
      : Effect.fail(new StoreError.StoreError({ operation, detail: `No outbox message ${id}` }))

  return Outbox.Outbox.of({
    enqueue: (key, message, now) =>
      Effect.gen(function* () {
        const body = JSON.stringify(yield* encodeMessage(message))
        yield* sql`
          INSERT INTO outbox (key, message, available_at) VALUES (${key}, ${body}::jsonb, ${now})
          ON CONFLICT (key) DO NOTHING`
      }).pipe(
        orStoreError("Outbox.enqueue"),
        Effect.withSpan("Outbox.enqueue", { attributes: { key } })
      ),

    claim: (limit, now, leaseUntil) =>
      Effect.gen(function* () {
        const rows = yield* sql`
          WITH due AS (
            SELECT id, available_at FROM outbox
            WHERE delivered_at IS NULL AND available_at <= ${now}
            ORDER BY available_at, id
            LIMIT ${Math.max(0, Math.floor(limit))}
            FOR UPDATE SKIP LOCKED
          )
          UPDATE outbox SET available_at = ${leaseUntil}, attempts = outbox.attempts + 1
          FROM due WHERE outbox.id = due.id
          RETURNING outbox.id::text AS id, outbox.message, outbox.attempts,
            due.available_at AS due_at`
        const claimed = yield* decodeClaimed(rows)
        return [...claimed]
          .sort((a, b) => a.due_at.getTime() - b.due_at.getTime() || Number(a.id) - Number(b.id))
          .map(({ attempts, id, message }): Outbox.Claimed => ({ id, message, attempts }))
      }).pipe(orStoreError("Outbox.claim"), Effect.withSpan("Outbox.claim")),

    complete: (id) =>
      Effect.gen(function* () {
        const key = yield* idOf("Outbox.complete", id)
        const rows = yield* sql`
          UPDATE outbox SET delivered_at = now() WHERE id = ${key} RETURNING id`
        yield* touch("Outbox.complete", id, rows)
      }).pipe(
        orStoreError("Outbox.complete"),
        Effect.withSpan("Outbox.complete", { attributes: { outbox_id: id } })
      ),

    retry: (id, retryAt, error) =>
      Effect.gen(function* () {
        const key = yield* idOf("Outbox.retry", id)
        const rows = yield* sql`
          UPDATE outbox SET available_at = ${retryAt}, last_error = ${error}
          WHERE id = ${key} RETURNING id`
        yield* touch("Outbox.retry", id, rows)
        yield* Effect.logInfo("Outbox message to retry").pipe(
          Effect.annotateLogs({ outbox_id: id, retry_at: retryAt.toISOString(), error })
        )
      }).pipe(
        orStoreError("Outbox.retry"),
        Effect.withSpan("Outbox.retry", { attributes: { outbox_id: id } })
      )
  })
})

/** Provides the PostgreSQL `Outbox` over a `SqlClient`. */
export const layer: Layer.Layer<Outbox.Outbox, never, SqlClient.SqlClient> = Layer.effect(
  Outbox.Outbox,
  make
)
