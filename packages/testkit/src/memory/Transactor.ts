/**
 * The memory stores' shared state and their `Transactor`.
 *
 * Every memory store keeps its data in one immutable {@link State} held by
 * {@link MemoryDb}. An operation is a pure function of that state, applied
 * with one `Ref.modify`, so it is atomic. A unit of work takes the
 * database's lock, runs, and on failure puts back the state it started
 * from; operations outside a unit of work wait for that lock, so nothing
 * they write can be lost to a rollback.
 *
 * @since 0.1.0
 */
import { Transactor as Port } from "@mercantile/domain"
import type { Cart, Event, Order, Outbox, Reservation } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"

/** ERP stock and our promise on it at one (sku, location). */
export interface StockRow {
  readonly sku: string
  readonly locationId: string
  readonly erpAvailable: number
  readonly erpVersion: bigint | undefined
  readonly promised: number
}

/** An event as the inbox keeps it. */
export interface InboxRow {
  readonly event: Event.UpstreamEvent
  readonly subject: string
  readonly receipt: "New" | "Stale"
}

/** A message as the outbox keeps it. */
export interface OutboxRow {
  readonly id: string
  readonly key: string
  readonly message: Outbox.Message
  readonly availableAt: Date
  readonly attempts: number
  readonly delivered: boolean
  readonly lastError: string | undefined
}

/** Everything the memory stores hold. Never mutated: every change builds a new one. */
export interface State {
  readonly carts: ReadonlyMap<string, Cart.Cart>
  readonly orders: ReadonlyMap<string, Order.Order>
  /** Keyed by `sku@location`. */
  readonly stock: ReadonlyMap<string, StockRow>
  readonly reservations: ReadonlyMap<string, Reservation.Reservation>
  /** Keyed by `source/eventId`. */
  readonly inbox: ReadonlyMap<string, InboxRow>
  /** The latest `occurredAt` received per event subject. */
  readonly subjects: ReadonlyMap<string, Date>
  readonly outbox: ReadonlyMap<string, OutboxRow>
  /** A counter for the ids the stores hand out. */
  readonly sequence: number
}

/** An empty database. */
export const emptyState: State = {
  carts: new Map(),
  orders: new Map(),
  stock: new Map(),
  reservations: new Map(),
  inbox: new Map(),
  subjects: new Map(),
  outbox: new Map(),
  sequence: 0
}

/** A copy of `map` with `key` set to `value`. */
export const setIn = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  new Map(map).set(key, value)

/** The shared state of the memory stores. */
export class MemoryDb extends Context.Tag("@mercantile/testkit/MemoryDb")<
  MemoryDb,
  {
    /** Applies a pure operation atomically; on `Left` nothing changes. */
    readonly run: <A, E>(
      op: (state: State) => Either.Either<readonly [A, State], E>
    ) => Effect.Effect<A, E>
    /** Reads the state as it stands. */
    readonly read: Effect.Effect<State>
    /** Runs `effect` as one unit of work: serialised, rolled back on failure. */
    readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>() {}

/** Builds an empty memory database. */
export const makeDb = Effect.gen(function* () {
  const state = yield* Ref.make(emptyState)
  const lock = yield* Effect.makeSemaphore(1)
  const inTransaction = FiberRef.unsafeMake(false)

  const guarded = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.flatMap(FiberRef.get(inTransaction), (inside) =>
      inside ? effect : lock.withPermits(1)(effect)
    )

  const run = <A, E>(
    op: (state: State) => Either.Either<readonly [A, State], E>
  ): Effect.Effect<A, E> =>
    guarded(
      Effect.flatten(
        Ref.modify(state, (current): readonly [Either.Either<A, E>, State] => {
          const result = op(current)
          return Either.isLeft(result)
            ? [Either.left(result.left), current]
            : [Either.right(result.right[0]), result.right[1]]
        })
      )
    )

  const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    guarded(
      Effect.flatMap(Ref.get(state), (snapshot) =>
        effect.pipe(
          Effect.onError(() => Ref.set(state, snapshot)),
          Effect.locally(inTransaction, true)
        )
      )
    )

  return MemoryDb.of({ run, read: Ref.get(state), transaction })
})

/** A memory `Transactor` over the memory database. */
export const make = Effect.map(MemoryDb, (db) =>
  Port.Transactor.of({ withTransaction: db.transaction })
)

/** Provides a fresh memory database and its `Transactor`. */
export const layer: Layer.Layer<MemoryDb | Port.Transactor> = Layer.effect(
  Port.Transactor,
  make
).pipe(Layer.provideMerge(Layer.effect(MemoryDb, makeDb)))
