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
export * as Msw from "./fakes/msw"
export * as FakeServer from "./fakes/serve"
export * as NetSuiteFake from "./fakes/netsuite"
export * as PaddleFake from "./fakes/paddle"
export * as AkeneoFake from "./fakes/akeneo"
export * as Arbitraries from "./Arbitraries"
export * as Harness from "./Harness"
export * as SapFake from "./fakes/sap"
export * as SanityFake from "./fakes/sanity"
