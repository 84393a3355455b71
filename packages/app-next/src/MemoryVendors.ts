/**
 * The testkit's memory adapters and catalog loader, for `memory` wiring.
 *
 * They are imported by path because the testkit's index also carries
 * vitest, msw and fast-check, which must stay out of the server bundle.
 * TODO(testkit-exports): import `@mercantile/testkit/memory` when testkit exports that subpath.
 *
 * @since 0.1.0
 */
export * as AkeneoCsv from "../../testkit/src/catalog/AkeneoCsv"
export type { DemoCatalog } from "../../testkit/src/catalog/DemoCatalog"
export * as MemoryCms from "../../testkit/src/memory/Cms"
export * as MemoryErp from "../../testkit/src/memory/Erp"
export * as MemoryMerchant from "../../testkit/src/memory/MerchantOfRecord"
export * as MemoryPim from "../../testkit/src/memory/Pim"
export * as MemoryStores from "../../testkit/src/memory/Stores"
