/**
 * The SAP S/4HANA Cloud entities and events the ERP adapter reads and
 * writes. They never leave the `sap` folder: `SapErp` maps them to domain
 * values.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Decimal, Deferred, Metadata, ODataDate, ToMany } from "./OData"

/** The OData services used, under `/sap/opu/odata/sap/`. */
export const services = {
  stock: "API_MATERIAL_STOCK_SRV",
  pricing: "API_SLSPRICINGCONDITIONRECORD_SRV",
  salesOrder: "API_SALES_ORDER_SRV",
  product: "API_PRODUCT_SRV"
} as const

/** One stock row of `A_MatlStkInAcctMod` (one material, plant, location, stock type, …). */
export const MaterialStock = Schema.Struct({
  __metadata: Schema.optional(Metadata),
  Material: Schema.String,
  Plant: Schema.String,
  StorageLocation: Schema.String,
  Batch: Schema.optional(Schema.String),
  InventorySpecialStockType: Schema.optional(Schema.String),
  /** "01" is unrestricted use: the only stock that can be sold. */
  InventoryStockType: Schema.String,
  MaterialBaseUnit: Schema.optional(Schema.String),
  MatlWrhsStkQtyInMatlBaseUnit: Decimal
})
/** @see MaterialStock */
export type MaterialStock = typeof MaterialStock.Type

/** A pricing condition record: the amount (`ConditionRateValue`) per `ConditionQuantity`. */
export const ConditionRecord = Schema.Struct({
  __metadata: Schema.optional(Metadata),
  ConditionRecord: Schema.String,
  ConditionType: Schema.optional(Schema.String),
  /** An Edm.Decimal string; checked where it meets its currency, so errors name the material. */
  ConditionRateValue: Schema.String,
  /** The currency for amounts, "%" for percentages. */
  ConditionRateValueUnit: Schema.String,
  ConditionQuantity: Schema.optional(Decimal),
  ConditionQuantityUnit: Schema.optional(Schema.String),
  ConditionIsDeleted: Schema.optional(Schema.Boolean)
})
/** @see ConditionRecord */
export type ConditionRecord = typeof ConditionRecord.Type

/** When and for what a condition record applies (`A_SlsPrcgCndnRecdValidity`). */
export const ConditionValidity = Schema.Struct({
  __metadata: Schema.optional(Metadata),
  ConditionRecord: Schema.String,
  ConditionValidityStartDate: ODataDate,
  ConditionValidityEndDate: ODataDate,
  ConditionType: Schema.String,
  SalesOrganization: Schema.optional(Schema.String),
  DistributionChannel: Schema.optional(Schema.String),
  Customer: Schema.optional(Schema.String),
  Material: Schema.String,
  to_SlsPrcgConditionRecord: Schema.optional(Schema.Union(Deferred, ConditionRecord))
})
/** @see ConditionValidity */
export type ConditionValidity = typeof ConditionValidity.Type

/** A sales order item as read. */
export const SalesOrderItem = Schema.Struct({
  __metadata: Schema.optional(Metadata),
  SalesOrder: Schema.String,
  SalesOrderItem: Schema.String,
  Material: Schema.String,
  RequestedQuantity: Decimal,
  RequestedQuantityUnit: Schema.optional(Schema.String),
  NetAmount: Schema.optional(Decimal),
  TransactionCurrency: Schema.optional(Schema.String)
})

/** Overall processing status: not relevant, open, in process, completed. */
export const ProcessStatus = Schema.Literal("", "A", "B", "C")
/** @see ProcessStatus */
export type ProcessStatus = typeof ProcessStatus.Type

/** A sales order as read (`A_SalesOrder`), with its items when expanded. */
export const SalesOrder = Schema.Struct({
  __metadata: Schema.optional(Metadata),
  SalesOrder: Schema.String,
  SalesOrderType: Schema.optional(Schema.String),
  SalesOrganization: Schema.optional(Schema.String),
  SoldToParty: Schema.optional(Schema.String),
  PurchaseOrderByCustomer: Schema.String,
  CreationDate: Schema.optional(Schema.NullOr(ODataDate)),
  LastChangeDateTime: Schema.optional(Schema.NullOr(ODataDate)),
  TotalNetAmount: Schema.optional(Decimal),
  TransactionCurrency: Schema.optional(Schema.String),
  OverallSDProcessStatus: Schema.optional(ProcessStatus),
  to_Item: Schema.optional(ToMany(SalesOrderItem))
})
/** @see SalesOrder */
export type SalesOrder = typeof SalesOrder.Type

/** One item of a sales order deep insert. */
export const SalesOrderItemCreate = Schema.Struct({
  SalesOrderItem: Schema.optional(Schema.String),
  SalesOrderItemCategory: Schema.optional(Schema.String),
  Material: Schema.String,
  RequestedQuantity: Decimal,
  RequestedQuantityUnit: Schema.optional(Schema.String)
})

/** The body of a sales order deep insert (`POST A_SalesOrder` with `to_Item`). */
export const SalesOrderCreate = Schema.Struct({
  SalesOrder: Schema.optional(Schema.String),
  SalesOrderType: Schema.String,
  SalesOrganization: Schema.String,
  DistributionChannel: Schema.String,
  OrganizationDivision: Schema.String,
  SoldToParty: Schema.String,
  /** Our order id; at most 35 characters in SAP. */
  PurchaseOrderByCustomer: Schema.String.pipe(Schema.maxLength(35)),
  TransactionCurrency: Schema.optional(Schema.String),
  to_Item: Schema.Array(SalesOrderItemCreate)
})
/** @see SalesOrderCreate */
export type SalesOrderCreate = typeof SalesOrderCreate.Type

/** A product master record (`A_Product`), the fields the adapter relies on. */
export const Product = Schema.Struct({
  __metadata: Schema.optional(Metadata),
  Product: Schema.String,
  ProductType: Schema.String,
  BaseUnit: Schema.String,
  IsMarkedForDeletion: Schema.Boolean,
  CreationDate: Schema.NullOr(ODataDate),
  LastChangeDate: Schema.NullOr(ODataDate),
  LastChangeDateTime: Schema.NullOr(ODataDate),
  GrossWeight: Decimal,
  NetWeight: Decimal,
  WeightUnit: Schema.String,
  ProductGroup: Schema.String,
  Division: Schema.String,
  to_Description: Schema.optional(Deferred),
  to_Plant: Schema.optional(Deferred)
})
/** @see Product */
export type Product = typeof Product.Type

/** A CloudEvents 1.0 envelope as SAP Event Mesh delivers it in structured JSON mode. */
export const CloudEvent = Schema.Struct({
  specversion: Schema.Literal("1.0"),
  type: Schema.String,
  source: Schema.String,
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(256)),
  time: Schema.DateFromString,
  datacontenttype: Schema.optional(Schema.String),
  subject: Schema.optional(Schema.String),
  data: Schema.Unknown
})
/** @see CloudEvent */
export type CloudEvent = typeof CloudEvent.Type

/** `data` of `sap.s4.beh.salesorder.v1.SalesOrder.*.v1`: the key only. */
export const SalesOrderEventData = Schema.Struct({ SalesOrder: Schema.String })

/** `data` of `sap.s4.beh.product.v1.Product.*.v1`: the key only. */
export const ProductEventData = Schema.Struct({ Product: Schema.String })

/** `data` of `sap.s4.beh.materialstock.v1.MaterialStock.*.v1`: material and, when given, where. */
export const MaterialStockEventData = Schema.Struct({
  Material: Schema.String,
  Plant: Schema.optional(Schema.String),
  StorageLocation: Schema.optional(Schema.String)
})

/** `data` of `sap.s4.beh.slsprcgcndnrecd.v1.SlsPrcgCndnRecd.*.v1`: the condition record key. */
export const ConditionRecordEventData = Schema.Struct({ ConditionRecord: Schema.String })
