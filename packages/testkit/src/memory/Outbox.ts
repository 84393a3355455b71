/**
 * The outbox in memory: idempotent enqueue by key, claims hidden behind a
 * lease, retries that record their error.
 *
 * @since 0.1.0
 */
import { Outbox as Port, StoreError } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { MemoryDb, setIn } from "./Transactor"
import type { OutboxRow, State } from "./Transactor"

const update = (
  state: State,
  operation: string,
  id: string,
  change: (row: OutboxRow) => OutboxRow
): Either.Either<readonly [void, State], StoreError.StoreError> => {
  const row = state.outbox.get(id)
  if (row === undefined) {
    return Either.left(new StoreError.StoreError({ operation, detail: `No outbox message ${id}` }))
  }
  return Either.right([undefined, { ...state, outbox: setIn(state.outbox, id, change(row)) }])
}

/** Builds the memory `Outbox`. */
export const make = Effect.map(MemoryDb, (db) =>
  Port.Outbox.of({
    enqueue: (key, message, now) =>
      db.run((state) => {
        if ([...state.outbox.values()].some((row) => row.key === key)) {
          return Either.right([undefined, state])
        }
        const sequence = state.sequence + 1
        const id = String(sequence)
        const row: OutboxRow = {
          id,
          key,
          message,
          availableAt: now,
          attempts: 0,
          delivered: false,
          lastError: undefined
        }
        return Either.right([
          undefined,
          { ...state, sequence, outbox: setIn(state.outbox, id, row) }
        ])
      }),

    claim: (limit, now, leaseUntil) =>
      db.run((state) => {
        const due = [...state.outbox.values()]
          .filter((row) => !row.delivered && row.availableAt.getTime() <= now.getTime())
          .sort(
            (a, b) =>
              a.availableAt.getTime() - b.availableAt.getTime() || Number(a.id) - Number(b.id)
          )
          .slice(0, Math.max(0, limit))
        const outbox = new Map(state.outbox)
        const claimed = due.map((row): Port.Claimed => {
          const next = { ...row, attempts: row.attempts + 1, availableAt: leaseUntil }
          outbox.set(row.id, next)
          return { id: row.id, message: row.message, attempts: next.attempts }
        })
        return Either.right([claimed, { ...state, outbox }])
      }),

    complete: (id) =>
      db.run((state) =>
        update(state, "Outbox.complete", id, (row) => ({ ...row, delivered: true }))
      ),

    retry: (id, retryAt, error) =>
      db.run((state) =>
        update(state, "Outbox.retry", id, (row) => ({
          ...row,
          availableAt: retryAt,
          lastError: error
        }))
      )
  })
)

/** Provides the memory `Outbox` over a `MemoryDb`. */
export const layer: Layer.Layer<Port.Outbox, never, MemoryDb> = Layer.effect(Port.Outbox, make)
