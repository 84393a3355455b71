/**
 * Turns driver and decoding failures into the port's `StoreError`.
 *
 * @internal
 */
import type { SqlError } from "@effect/sql/SqlError"
import { StoreError } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import type { ParseError } from "effect/ParseResult"

/** Maps `SqlError` and `ParseError` of `effect` to a `StoreError` naming `operation`. */
export const orStoreError =
  (operation: string) =>
  <A, E, R>(
    effect: Effect.Effect<A, E | SqlError | ParseError, R>
  ): Effect.Effect<A, Exclude<E, SqlError | ParseError> | StoreError.StoreError, R> =>
    Effect.catchIf(
      effect,
      (error): error is SqlError | ParseError =>
        typeof error === "object" &&
        error !== null &&
        "_tag" in error &&
        (error._tag === "SqlError" || error._tag === "ParseError"),
      (error) => Effect.fail(new StoreError.StoreError({ operation, detail: detailOf(error) }))
    )

const detailOf = (error: SqlError | ParseError): string => {
  const cause = "cause" in error ? error.cause : undefined
  const reason = cause instanceof Error ? `: ${cause.message}` : ""
  return `${error.message}${reason}`
}
