/**
 * Test support for Mercantile: the demo catalog, vendor fakes, memory
 * adapters and arbitraries. Every module is exported as a namespace.
 *
 * @since 0.1.0
 */
export * as Catalog from "./catalog/Catalog"
export * as SharedData from "./SharedData"
export * from "./memory"
export * as MemoryStores from "./memory/Stores"
export * as Arbitraries from "./Arbitraries"
