/**
 * Mercantile's adapters: each vendor or store, exported as a namespace.
 *
 * @since 0.1.0
 */
export * as PgDatabase from "./postgres/PgDatabase"
export * as PgStores from "./postgres/PgStores"
export * as SapClient from "./sap/SapClient"
export * as SapErp from "./sap/SapErp"
export * as NetSuiteClient from "./netsuite/NetSuiteClient"
export * as NetSuiteErp from "./netsuite/NetSuiteErp"
export * as NetSuiteTba from "./netsuite/Tba"
export * as PaddleClient from "./paddle/PaddleClient"
export * as PaddleMerchant from "./paddle/PaddleMerchant"
export * as AkeneoPim from "./akeneo/AkeneoPim"
export * as AkeneoPrices from "./akeneo/AkeneoPrices"
export * as SanityCms from "./sanity/SanityCms"
export * as AkeneoClient from "./akeneo/AkeneoClient"
export * as SanityClient from "./sanity/SanityClient"
export * as NetSuiteCatalog from "./erp-catalog/NetSuiteCatalog"
export * as SapCatalog from "./erp-catalog/SapCatalog"
