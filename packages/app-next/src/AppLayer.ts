/**
 * The storefront's services, from configuration.
 *
 * - `MERCANTILE_ERP`: `netsuite` (default), `sap` or `memory`
 * - `MERCANTILE_PIM`: `akeneo` (default), `erp` (the ERP's own items) or `memory`
 * - `MERCANTILE_CMS`: `sanity` (default) or `memory`
 * - `MERCANTILE_PAYMENTS`: `paddle` (default) or `memory`
 * - `DATABASE_URL`: our own state in PostgreSQL; without it, in memory
 *
 * The memory vendors are seeded from the demo catalog
 * (`MERCANTILE_DEMO_CATALOG`, else the project's own).
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import {
  AkeneoPim,
  NetSuiteCatalog,
  NetSuiteErp,
  PaddleMerchant,
  PgDatabase,
  PgStores,
  SanityCms,
  SapCatalog,
  SapErp
} from "@mercantile/adapters"
import {
  type CartService,
  type Checkout,
  type Cms,
  type Erp,
  type EventIngestion,
  type Inventory,
  type MerchantOfRecord,
  type OrderStore,
  type OutboxWorker,
  type ProductView,
  Settings,
  Tax,
  UseCases
} from "@mercantile/domain"
import {
  AkeneoCsv,
  MemoryCms,
  MemoryErp,
  MemoryMerchant,
  MemoryPim,
  MemoryStores
} from "./MemoryVendors"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as path from "node:path"
import * as MemorySeed from "./MemorySeed"
import * as NextCache from "./NextCache"

/** Which vendor or store serves each port. */
export interface Wiring {
  readonly erp: "netsuite" | "sap" | "memory"
  readonly pim: "akeneo" | "erp" | "memory"
  readonly cms: "sanity" | "memory"
  readonly payments: "paddle" | "memory"
  readonly store: "postgres" | "memory"
}

/** The wiring the storefront runs with. */
export class StorefrontWiring extends Context.Tag("@mercantile/app-next/StorefrontWiring")<
  StorefrontWiring,
  Wiring
>() {}

/** Reads the wiring from the environment. */
export const wiringConfig: Config.Config<Wiring> = Config.all({
  erp: Config.literal(
    "netsuite",
    "sap",
    "memory"
  )("MERCANTILE_ERP").pipe(Config.withDefault("netsuite" as const)),
  pim: Config.literal(
    "akeneo",
    "erp",
    "memory"
  )("MERCANTILE_PIM").pipe(Config.withDefault("akeneo" as const)),
  cms: Config.literal(
    "sanity",
    "memory"
  )("MERCANTILE_CMS").pipe(Config.withDefault("sanity" as const)),
  payments: Config.literal(
    "paddle",
    "memory"
  )("MERCANTILE_PAYMENTS").pipe(Config.withDefault("paddle" as const)),
  store: Config.option(Config.redacted("DATABASE_URL")).pipe(
    Config.map((url) => (url._tag === "Some" ? ("postgres" as const) : ("memory" as const)))
  )
})

/** Germany, in euros, on the web, 19 % VAT included; holds last 15 minutes. */
export const settings: Settings.Settings = {
  currency: "EUR",
  region: "DE" as Settings.Settings["region"],
  channel: "web" as Settings.Settings["channel"],
  tax: Tax.standardVat("DE", 19),
  promotions: [],
  holdFor: Duration.minutes(15),
  paymentFailurePolicy: "KeepUntilExpiry"
}

/** Every service the storefront's pages, actions and route handlers use. */
export type Services =
  | CartService.CartService
  | Checkout.Checkout
  | EventIngestion.EventIngestion
  | OutboxWorker.OutboxWorker
  | ProductView.ProductView
  | OrderStore.OrderStore
  | Inventory.Inventory
  | Erp.ErpWebhooks
  | Cms.CmsWebhooks
  | MerchantOfRecord.PaymentWebhooks
  | Settings.CommerceSettings
  | StorefrontWiring

/** The demo catalog's folder; the launcher always sets it. */
const catalogDir = Config.string("MERCANTILE_DEMO_CATALOG").pipe(
  Config.withDefault(path.join(process.cwd(), "..", "testkit", "catalog", "demo"))
)

/** The catalog is read only when a memory vendor needs it, and once. */
const memorySeed = Effect.cached(
  catalogDir.pipe(Effect.flatMap(AkeneoCsv.read), Effect.map(MemorySeed.fromCatalog))
)

const erpLayer = (wiring: Wiring, seed: Effect.Effect<MemorySeed.MemorySeed, unknown>) => {
  switch (wiring.erp) {
    case "memory":
      return Layer.unwrapEffect(Effect.map(seed, (s) => MemoryErp.layer(s.erp)))
    case "netsuite":
      return NetSuiteErp.layerConfig
    case "sap":
      return SapErp.layerConfig
  }
}

const pimLayer = (wiring: Wiring, seed: Effect.Effect<MemorySeed.MemorySeed, unknown>) => {
  if (wiring.pim === "akeneo") return AkeneoPim.layerConfig
  if (wiring.pim === "erp" && wiring.erp === "netsuite") return NetSuiteCatalog.layerConfig
  if (wiring.pim === "erp" && wiring.erp === "sap") return SapCatalog.layerConfig
  return Layer.unwrapEffect(Effect.map(seed, (s) => MemoryPim.layer(s.products, s.categories)))
}

const cmsLayer = (wiring: Wiring, seed: Effect.Effect<MemorySeed.MemorySeed, unknown>) =>
  wiring.cms === "memory"
    ? Layer.unwrapEffect(Effect.map(seed, (s) => MemoryCms.layer(s.contents)))
    : SanityCms.layerConfig

const paymentsLayer = (wiring: Wiring) =>
  wiring.payments === "memory" ? MemoryMerchant.layer() : PaddleMerchant.layerConfig

const storeLayer = (wiring: Wiring) =>
  wiring.store === "memory"
    ? MemoryStores.layerMemory()
    : PgStores.layer.pipe(Layer.provide(PgDatabase.layerConfig))

/** The ports as wired. */
export const ports = (wiring: Wiring) =>
  Layer.unwrapEffect(
    Effect.map(memorySeed, (seed) =>
      Layer.mergeAll(
        erpLayer(wiring, seed),
        pimLayer(wiring, seed),
        cmsLayer(wiring, seed),
        paymentsLayer(wiring),
        storeLayer(wiring),
        NextCache.layer,
        Settings.layer(settings),
        Layer.succeed(StorefrontWiring, wiring)
      ).pipe(Layer.provide(FetchHttpClient.layer))
    )
  )

/** Every service of the storefront, wired from the environment. */
export const layer: Layer.Layer<Services, unknown> = Layer.unwrapEffect(
  Effect.map(wiringConfig, (wiring) => UseCases.layer.pipe(Layer.provideMerge(ports(wiring))))
)
