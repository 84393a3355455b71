/**
 * Every store port on PostgreSQL, over one `SqlClient`.
 *
 * ```ts
 * const Stores = PgStores.layer.pipe(Layer.provide(PgDatabase.layerConfig))
 * ```
 *
 * @since 0.1.0
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type {
  CartStore,
  Inbox,
  Inventory,
  OrderStore,
  Outbox,
  Transactor
} from "@mercantile/domain"
import * as Layer from "effect/Layer"
import * as PgCartStore from "./PgCartStore"
import * as PgInbox from "./PgInbox"
import * as PgInventory from "./PgInventory"
import * as PgOrderStore from "./PgOrderStore"
import * as PgOutbox from "./PgOutbox"
import * as PgTransactor from "./PgTransactor"

export {
  /** Carts. */
  PgCartStore,
  /** The inbox. */
  PgInbox,
  /** The reservation ledger. */
  PgInventory,
  /** Orders. */
  PgOrderStore,
  /** The outbox. */
  PgOutbox,
  /** Units of work. */
  PgTransactor
}

/** Every store service this layer provides. */
export type Services =
  | CartStore.CartStore
  | Inventory.Inventory
  | OrderStore.OrderStore
  | Inbox.Inbox
  | Outbox.Outbox
  | Transactor.Transactor

/** Every store port, with the ledger allocating by `options`. */
export const layerWith = (
  options: PgInventory.Options = {}
): Layer.Layer<Services, never, SqlClient.SqlClient> =>
  Layer.mergeAll(
    PgCartStore.layer,
    PgInventory.layer(options),
    PgOrderStore.layer,
    PgInbox.layer,
    PgOutbox.layer,
    PgTransactor.layer
  )

/** Every store port, drawing stock from locations in the order of their ids. */
export const layer: Layer.Layer<Services, never, SqlClient.SqlClient> = layerWith()
