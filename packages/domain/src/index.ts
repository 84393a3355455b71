/**
 * Mercantile's commerce core. Every module is exported as a namespace:
 * `import { Money, Cart } from "@mercantile/domain"`, then `Money.add(...)`.
 *
 * @since 0.1.0
 */
export * as CacheInvalidation from "./CacheInvalidation"
export * as CacheTag from "./CacheTag"
export * as Cart from "./Cart"
export * as CartStore from "./CartStore"
export * as Cms from "./Cms"
export * as Currency from "./Currency"
export * as Erp from "./Erp"
export * as Event from "./Event"
export * as Ids from "./Ids"
export * as Inbox from "./Inbox"
export * as Inventory from "./Inventory"
export * as MerchantOfRecord from "./MerchantOfRecord"
export * as Money from "./Money"
export * as Order from "./Order"
export * as OrderStore from "./OrderStore"
export * as Outbox from "./Outbox"
export * as Pim from "./Pim"
export * as PriceList from "./PriceList"
export * as PricingContext from "./PricingContext"
export * as Quantity from "./Quantity"
export * as Reservation from "./Reservation"
export * as Rounding from "./Rounding"
export * as StoreError from "./StoreError"
export * as Transactor from "./Transactor"
export * as Webhook from "./Webhook"
