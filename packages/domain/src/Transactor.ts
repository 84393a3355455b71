/**
 * Runs several store operations as one atomic unit. Settling a payment
 * commits reservations, moves the order and enqueues the ERP write together,
 * or not at all.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { StoreError } from "./StoreError"

/** Atomic units of work over the stores. */
export class Transactor extends Context.Tag("@mercantile/domain/Transactor")<
  Transactor,
  {
    /** Runs `effect` in one transaction: every store write inside it lands, or none does. */
    readonly withTransaction: <A, E, R>(
      effect: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | StoreError, R>
  }
>() {}
