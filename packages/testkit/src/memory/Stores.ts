/**
 * Every store port in memory, sharing one database and one `Transactor`.
 *
 * ```ts
 * const program = Effect.gen(function* () {
 *   const carts = yield* CartStore.CartStore
 *   return yield* carts.get(cartId)
 * })
 * Effect.runPromise(Effect.provide(program, MemoryStores.layerMemory()))
 * ```
 *
 * @since 0.1.0
 */
import type {
  CartStore,
  Inbox,
  Inventory,
  OrderStore,
  Outbox,
  Transactor
} from "@mercantile/domain"
import * as Layer from "effect/Layer"
import * as MemoryCartStore from "./CartStore"
import * as MemoryInbox from "./Inbox"
import * as MemoryInventory from "./Inventory"
import * as MemoryOrderStore from "./OrderStore"
import * as MemoryOutbox from "./Outbox"
import * as MemoryTransactor from "./Transactor"

export {
  /** Carts in memory. */
  MemoryCartStore,
  /** The inbox in memory. */
  MemoryInbox,
  /** The reservation ledger in memory. */
  MemoryInventory,
  /** Orders in memory. */
  MemoryOrderStore,
  /** The outbox in memory. */
  MemoryOutbox,
  /** The shared memory database and its transactor. */
  MemoryTransactor
}

/** Every store service the memory layer provides. */
export type Services =
  | CartStore.CartStore
  | Inventory.Inventory
  | OrderStore.OrderStore
  | Inbox.Inbox
  | Outbox.Outbox
  | Transactor.Transactor

/** Every store port over one fresh memory database. */
export const layerMemory = (
  options: MemoryInventory.Options = {}
): Layer.Layer<Services | MemoryTransactor.MemoryDb> =>
  Layer.mergeAll(
    MemoryCartStore.layer,
    MemoryInventory.layer(options),
    MemoryOrderStore.layer,
    MemoryInbox.layer,
    MemoryOutbox.layer
  ).pipe(Layer.provideMerge(MemoryTransactor.layer))
