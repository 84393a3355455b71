/**
 * In-memory adapters of every port, each exported as a namespace.
 *
 * @since 0.1.0
 */
export * as MemoryCache from "./CacheInvalidation"
export * as MemoryCms from "./Cms"
export * as MemoryErp from "./Erp"
export * as MemoryMerchant from "./MerchantOfRecord"
export * as MemoryPim from "./Pim"
export * as MemoryVendors from "./Vendors"
