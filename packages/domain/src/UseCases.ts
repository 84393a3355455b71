/**
 * Every use case in one layer, built from the ports. Provide the adapters'
 * layers (ERP, PIM, CMS, Merchant of Record, stores, cache) and the
 * commercial settings, and this gives the cart, checkout, settlement, event
 * ingestion, outbox worker and product view.
 *
 * @since 0.1.0
 */
import * as Layer from "effect/Layer"
import * as CartService from "./CartService"
import * as Checkout from "./Checkout"
import * as EventIngestion from "./EventIngestion"
import * as OutboxWorker from "./OutboxWorker"
import * as ProductView from "./ProductView"
import * as Settlement from "./Settlement"

/** The use cases, from the ports. */
export const layer = Layer.mergeAll(
  CartService.layer,
  Checkout.layer,
  EventIngestion.layer,
  OutboxWorker.layer,
  ProductView.layer
).pipe(Layer.provideMerge(Settlement.layer))
