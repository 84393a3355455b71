/**
 * Units of work as PostgreSQL transactions. Stores called inside one run
 * on its connection; a nested unit of work is a savepoint.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { StoreError, Transactor } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** Builds the PostgreSQL `Transactor`. */
export const make = Effect.map(SqlClient.SqlClient, (sql) =>
  Transactor.Transactor.of({
    withTransaction: (effect) =>
      Effect.catchIf(
        sql.withTransaction(effect),
        (error): error is SqlError => error instanceof SqlError,
        (error) =>
          Effect.fail(
            new StoreError.StoreError({
              operation: "Transactor.withTransaction",
              detail: error.message
            })
          )
      ).pipe(Effect.withSpan("Transactor.withTransaction"))
  })
)

/** Provides the PostgreSQL `Transactor` over a `SqlClient`. */
export const layer: Layer.Layer<Transactor.Transactor, never, SqlClient.SqlClient> = Layer.effect(
  Transactor.Transactor,
  make
)
