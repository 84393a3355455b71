/**
 * The testkit's memory adapters and catalog loader, for `memory` wiring.
 *
 * They come through the testkit's subpath exports, because its index also
 * carries vitest, msw and fast-check, which must stay out of the server
 * bundle.
 *
 * @since 0.1.0
 */
export * as AkeneoCsv from "@mercantile/testkit/catalog/AkeneoCsv"
export type { DemoCatalog } from "@mercantile/testkit/catalog"
export { MemoryCms, MemoryErp, MemoryMerchant, MemoryPim } from "@mercantile/testkit/memory"
export * as MemoryStores from "@mercantile/testkit/memory/Stores"
