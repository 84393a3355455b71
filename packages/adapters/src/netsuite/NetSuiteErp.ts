/**
 * The ERP ports on NetSuite: stock and prices through SuiteQL, orders
 * through the Record API, and change notifications through a signed
 * envelope of our own.
 *
 * NetSuite has no built-in outbound webhooks. A SuiteScript user-event
 * script (deployed on item, inventory and sales-order records) posts this
 * envelope to our webhook route:
 *
 * ```
 * POST /webhooks/netsuite
 * x-netsuite-signature: ts=<unix seconds>;h1=<hex HMAC-SHA256(secret, "<ts>:" + raw body)>
 *
 * {"eventId":"<unique id>","type":"inventory.changed","occurredAt":"2025-01-01T10:00:00Z",
 *  "data":{"sku":"SKU-1","location":"1","available":12}}
 * ```
 *
 * `type` is `inventory.changed` (data `sku`, optional `location` and
 * `available`), `price.changed` (data `sku`) or `order.status_changed` (data
 * `externalId` = our order id, `id` = NetSuite's internal id, `status`). The
 * signature is checked on the raw bytes, with a tolerance (300 s unless told)
 * against replays. See `README.md` beside this file.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import {
  Currency,
  Erp,
  Event,
  Ids,
  Money,
  PriceList,
  Reservation,
  Webhook
} from "@mercantile/domain"
import type { Order, PricingContext } from "@mercantile/domain"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Signature from "../internal/Signature"
import * as NetSuiteClient from "./NetSuiteClient"

/** What the port tier needs beyond the client. */
export interface Options {
  /** The secret the SuiteScript signs notifications with. */
  readonly webhookSecret: Redacted.Redacted<string>
  /** How old a signed notification may be; 300 s unless told. */
  readonly webhookToleranceSeconds?: number | undefined
  /** True (the default) when the price level's amounts include tax. */
  readonly pricesIncludeTax?: boolean | undefined
  /** The price level read as the base price list; `1` (Base Price) unless told. */
  readonly priceLevel?: string | undefined
  /** Only these locations' stock is read; every location when absent. */
  readonly locations?: ReadonlyArray<string> | undefined
  /** The customer (entity) web orders are recorded against. */
  readonly customerId?: string | undefined
}

/** The four ERP services. */
export type Services = Erp.Services

/** The header the SuiteScript signs with. */
export const signatureHeader = "x-netsuite-signature"

const str = Schema.String
const optionalStr = Schema.optional(Schema.String)

/** A stock row of our SuiteQL query; all values arrive as strings. */
export const StockRow = Schema.Struct({
  sku: str,
  location: str,
  available: optionalStr,
  version: optionalStr
})

/** A price row of our SuiteQL query. */
export const PriceRow = Schema.Struct({
  sku: str,
  pricelevel: str,
  pricelevelname: optionalStr,
  currency: str,
  unitprice: optionalStr,
  minquantity: optionalStr
})

/** An item id row. */
export const ItemRow = Schema.Struct({ id: str, itemid: str })

/** A sales order lookup row. */
export const OrderRow = Schema.Struct({ id: str, tranid: optionalStr })

const Reference = Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number) })

/** The `salesOrder` create body we send (ids may be numbers in Oracle's examples). */
export const SalesOrderRequest = Schema.Struct({
  externalId: Schema.optional(Schema.String),
  otherRefNum: Schema.optional(Schema.String),
  memo: Schema.optional(Schema.String),
  entity: Schema.optional(Reference),
  location: Schema.optional(Reference),
  item: Schema.Struct({
    items: Schema.Array(
      Schema.Struct({
        item: Reference,
        quantity: Schema.optional(Schema.Number),
        rate: Schema.optional(Schema.Number),
        amount: Schema.optional(Schema.Number)
      })
    )
  })
})

/** The signed envelope a SuiteScript posts. */
export const Envelope = Schema.Struct({
  eventId: Schema.NonEmptyTrimmedString,
  type: Schema.String,
  occurredAt: Schema.Date,
  data: Schema.Unknown
})

/** `inventory.changed` data. */
export const InventoryChanged = Schema.Struct({
  sku: Ids.Sku,
  location: Schema.optional(Ids.LocationId),
  available: Schema.optional(Schema.Int)
})

/** `price.changed` data. */
export const PriceChanged = Schema.Struct({ sku: Ids.Sku })

/** `order.status_changed` data. */
export const OrderStatusChanged = Schema.Struct({
  externalId: Ids.OrderId,
  id: Schema.String,
  status: Schema.String
})

/** Quotes a value for a SuiteQL string literal. */
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`
const inList = (values: ReadonlyArray<string>): string => values.map(literal).join(", ")

/** SuiteQL accepts at most 1000 values in one IN list. */
const chunks = <A>(values: ReadonlyArray<A>, size = 500): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let at = 0; at < values.length; at += size) out.push(values.slice(at, at + size))
  return out
}

/** The SuiteQL query for stock of `skus`. */
export const stockQuery = (skus: ReadonlyArray<string>, locations?: ReadonlyArray<string>) =>
  [
    "SELECT item.itemid AS sku, invloc.location AS location,",
    "invloc.quantityavailable AS available,",
    "TO_CHAR(item.lastmodifieddate, 'YYYYMMDDHH24MISS') AS version",
    "FROM inventoryitemlocations invloc INNER JOIN item ON item.id = invloc.item",
    `WHERE item.itemid IN (${inList(skus)})`,
    ...(locations === undefined || locations.length === 0
      ? []
      : [`AND invloc.location IN (${inList(locations)})`]),
    "ORDER BY item.itemid, invloc.location"
  ].join(" ")

/** The SuiteQL query for one price level's prices of `skus` in `currency`. */
export const priceQuery = (skus: ReadonlyArray<string>, priceLevel: string, currency: string) =>
  [
    "SELECT item.itemid AS sku, pricing.pricelevel AS pricelevel,",
    "BUILTIN.DF(pricing.pricelevel) AS pricelevelname, currency.symbol AS currency,",
    "pricing.unitprice AS unitprice, pricing.quantity AS minquantity",
    "FROM pricing INNER JOIN item ON item.id = pricing.item",
    "INNER JOIN currency ON currency.id = pricing.currency",
    `WHERE item.itemid IN (${inList(skus)})`,
    `AND pricing.pricelevel = ${literal(priceLevel)}`,
    `AND currency.symbol = ${literal(currency)}`,
    "ORDER BY item.itemid, pricing.quantity"
  ].join(" ")

/** The SuiteQL query for item ids of `skus`. */
export const itemQuery = (skus: ReadonlyArray<string>) =>
  `SELECT id, itemid FROM item WHERE itemid IN (${inList(skus)})`

/** The SuiteQL query finding a sales order by our order id. */
export const orderQuery = (orderId: string) =>
  `SELECT id, tranid FROM transaction WHERE type = 'SalesOrd' AND externalid = ${literal(orderId)}`

/** A decimal kept exact through `JSON.stringify`. */
class Decimal {
  constructor(readonly text: string) {}
}

/** JSON with `Decimal`s written as bare numbers, never through a float. */
const jsonWithDecimals = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Decimal ? `@@decimal:${v.text}@@` : v
  ).replace(/"@@decimal:(-?\d+(?:\.\d+)?)@@"/g, "$1")

/** The `salesOrder` body for an order; `items` maps SKUs to NetSuite item ids. */
export const salesOrderBody = (
  order: Order.Order,
  items: ReadonlyMap<string, string>,
  options: Pick<Options, "customerId">
): string =>
  jsonWithDecimals({
    externalId: order.id,
    otherRefNum: order.id,
    memo: `Mercantile order ${order.id}`,
    ...(options.customerId === undefined ? {} : { entity: { id: options.customerId } }),
    // TODO(netsuite-tax): send net amounts with tax codes when an account taxes per line.
    item: {
      items: order.lines.map((line) => ({
        item: { id: items.get(line.sku) },
        quantity: line.quantity,
        rate: new Decimal(Money.toDecimal(line.unitPrice)),
        amount: new Decimal(Money.toDecimal(line.total))
      }))
    }
  })

const decodeError = (operation: string, detail: string) =>
  new Erp.ErpError({ reason: "Decode", operation, detail })

/** Reads a SuiteQL quantity ("12", "12.0", "-1"); fractions of a unit are not sellable. */
const quantityOf = (value: string | undefined): number | undefined => {
  if (value === undefined) return 0
  if (!/^-?\d+(?:\.\d+)?$/.test(value.trim())) return undefined
  return Math.floor(Number(value))
}

/** Maps stock rows to stock levels. */
export const toStockLevels = (
  rows: ReadonlyArray<typeof StockRow.Type>
): Either.Either<ReadonlyArray<Reservation.StockLevel>, Erp.ErpError> => {
  const levels: Array<Reservation.StockLevel> = []
  for (const row of rows) {
    const available = quantityOf(row.available)
    const sku = Schema.decodeUnknownOption(Ids.Sku)(row.sku)
    const locationId = Schema.decodeUnknownOption(Ids.LocationId)(row.location)
    if (available === undefined || Option.isNone(sku) || Option.isNone(locationId)) {
      return Either.left(
        decodeError(
          "ErpStock.levels",
          `item ${row.sku} at location ${row.location}: unreadable stock row`
        )
      )
    }
    const version =
      row.version !== undefined && /^\d+$/.test(row.version) ? BigInt(row.version) : undefined
    levels.push(
      new Reservation.StockLevel({
        sku: sku.value,
        locationId: locationId.value,
        available,
        ...(version === undefined ? {} : { version })
      })
    )
  }
  return Either.right(levels)
}

/** Maps price rows (one currency) to one price list per price level. */
export const toPriceLists = (
  rows: ReadonlyArray<typeof PriceRow.Type>,
  taxInclusive: boolean
): Either.Either<ReadonlyArray<PriceList.PriceList>, Erp.ErpError> => {
  const operation = "ErpPrices.lists"
  const lists = new Map<
    string,
    { currency: Currency.CurrencyCode; prices: Array<PriceList.Price> }
  >()
  for (const row of rows) {
    if (!Currency.isCurrencyCode(row.currency)) {
      return Either.left(
        decodeError(operation, `item ${row.sku}: unknown currency ${row.currency}`)
      )
    }
    const sku = Schema.decodeUnknownOption(Ids.Sku)(row.sku)
    if (Option.isNone(sku)) {
      return Either.left(decodeError(operation, `item ${row.sku}: not a SKU`))
    }
    const amount = Money.fromDecimal(row.currency, row.unitprice ?? "")
    if (Either.isLeft(amount) || Money.isNegative(amount.right)) {
      return Either.left(
        decodeError(
          operation,
          `item ${row.sku}: price ${JSON.stringify(row.unitprice ?? null)} is not a valid amount`
        )
      )
    }
    const tier = Number(row.minquantity ?? "0")
    const minQuantity = Number.isInteger(tier) && tier > 1 ? tier : 1
    const id = `netsuite:pricelevel:${row.pricelevel}:${row.currency}`
    const list = lists.get(id) ?? { currency: row.currency, prices: [] }
    list.prices.push(
      new PriceList.Price({
        id: `${row.sku}@${minQuantity}`,
        sku: sku.value,
        amount: amount.right,
        minQuantity
      })
    )
    lists.set(id, list)
  }
  return Either.right(
    [...lists].map(
      ([id, list]) =>
        new PriceList.PriceList({
          id,
          kind: "Base",
          currency: list.currency,
          taxInclusive,
          priority: 0,
          prices: list.prices
        })
    )
  )
}

const webhookError = (reason: Webhook.WebhookError["reason"], detail: string) =>
  new Webhook.WebhookError({ reason, source: "netsuite", detail })

const fromSignature = (error: Signature.SignatureError): Webhook.WebhookError =>
  webhookError(error.reason === "MalformedSignature" ? "BadSignature" : error.reason, error.detail)

/** Maps a verified envelope to domain events. */
export const toEvents = (
  envelope: typeof Envelope.Type
): Either.Either<ReadonlyArray<Event.UpstreamEvent>, Webhook.WebhookError> => {
  const base = {
    eventId: Ids.EventId.make(envelope.eventId),
    source: "erp" as const,
    occurredAt: envelope.occurredAt
  }
  const data = <A, I>(schema: Schema.Schema<A, I>) =>
    Either.mapLeft(Schema.decodeUnknownEither(schema)(envelope.data), (error) =>
      webhookError("Malformed", `${envelope.type} data: ${error.message}`)
    )
  switch (envelope.type) {
    case "inventory.changed":
      return Either.map(data(InventoryChanged), (d) => [
        new Event.StockChanged({
          ...base,
          sku: d.sku,
          ...(d.location === undefined ? {} : { locationId: d.location }),
          ...(d.available === undefined ? {} : { available: d.available })
        })
      ])
    case "price.changed":
      return Either.map(data(PriceChanged), (d) => [
        new Event.PriceChanged({ ...base, sku: d.sku })
      ])
    case "order.status_changed":
      return Either.map(data(OrderStatusChanged), (d) => [
        new Event.OrderStatusChanged({
          ...base,
          orderId: d.externalId,
          erpReference: d.id,
          status: d.status
        })
      ])
    default:
      return Either.left(webhookError("Unsupported", `event type ${envelope.type}`))
  }
}

/** Builds the four ERP services on a NetSuite client. */
export const make = (
  options: Options
): Effect.Effect<Services, never, NetSuiteClient.NetSuiteClient> =>
  Effect.gen(function* () {
    const client = yield* NetSuiteClient.NetSuiteClient
    const toErp = Effect.mapError(NetSuiteClient.toErpError)

    const levels: Services["stock"]["levels"] = (skus) =>
      Effect.forEach(chunks([...new Set(skus)]), (part) =>
        client.suiteql("ErpStock.levels", stockQuery(part, options.locations), StockRow)
      ).pipe(
        toErp,
        Effect.flatMap((pages) => toStockLevels(pages.flat())),
        Effect.withSpan("NetSuiteErp.levels", { attributes: { skus: skus.length } })
      )

    const lists: Services["prices"]["lists"] = (skus, context: PricingContext.PricingContext) =>
      Effect.forEach(chunks([...new Set(skus)]), (part) =>
        client.suiteql(
          "ErpPrices.lists",
          priceQuery(part, options.priceLevel ?? "1", context.currency),
          PriceRow
        )
      ).pipe(
        toErp,
        Effect.flatMap((pages) => toPriceLists(pages.flat(), options.pricesIncludeTax ?? true)),
        Effect.withSpan("NetSuiteErp.lists", { attributes: { skus: skus.length } })
      )

    const find: Services["orders"]["find"] = (orderId) =>
      client.suiteql("ErpOrders.find", orderQuery(orderId), OrderRow).pipe(
        toErp,
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (row) => ({ orderId, erpReference: row.id }))
        ),
        Effect.withSpan("NetSuiteErp.find")
      )

    const itemIds = (order: Order.Order) =>
      client.suiteql("ErpOrders.record", itemQuery(order.lines.map((l) => l.sku)), ItemRow).pipe(
        toErp,
        Effect.flatMap((rows) => {
          const ids = new Map(rows.map((row) => [row.itemid, row.id]))
          const missing = order.lines.filter((line) => !ids.has(line.sku)).map((l) => l.sku)
          return missing.length === 0
            ? Effect.succeed(ids)
            : Effect.fail(
                new Erp.ErpError({
                  reason: "Rejected",
                  operation: "ErpOrders.record",
                  detail: `items unknown to NetSuite: ${missing.join(", ")}`
                })
              )
        })
      )

    const record: Services["orders"]["record"] = (order) =>
      Effect.gen(function* () {
        const existing = yield* find(order.id)
        if (Option.isSome(existing)) {
          yield* Effect.logInfo("order already in NetSuite, not created again")
          return existing.value
        }
        const items = yield* itemIds(order)
        const body = salesOrderBody(order, items, options)
        const id = yield* client
          .createRecord("ErpOrders.record", "salesOrder", body, order.id)
          .pipe(toErp)
        yield* Effect.logInfo("order recorded in NetSuite").pipe(
          Effect.annotateLogs({ erp_reference: id })
        )
        return { orderId: order.id, erpReference: id }
      }).pipe(
        Effect.tapErrorTag("ErpError", (error) =>
          error.reason === "Timeout"
            ? Effect.logWarning("order write timed out; look it up before writing again")
            : Effect.void
        ),
        Effect.annotateLogs({ order_id: order.id }),
        Effect.withSpan("NetSuiteErp.record", { attributes: { order_id: order.id } })
      )

    const decode: Services["webhooks"]["decode"] = (webhook) =>
      Signature.verifyNow({
        header: webhook.headers[signatureHeader],
        body: webhook.body,
        secrets: [options.webhookSecret],
        toleranceSeconds: options.webhookToleranceSeconds ?? 300
      }).pipe(
        Effect.mapError(fromSignature),
        Effect.zipRight(
          Schema.decodeUnknown(Schema.parseJson(Envelope))(Webhook.text(webhook)).pipe(
            Effect.mapError((error) => webhookError("Malformed", error.message))
          )
        ),
        Effect.flatMap(toEvents),
        Effect.tapError((error) =>
          Effect.logWarning("NetSuite notification refused").pipe(
            Effect.annotateLogs({ reason: error.reason, detail: error.detail })
          )
        ),
        Effect.withSpan("NetSuiteErp.decode")
      )

    return {
      stock: { levels },
      prices: { lists },
      orders: { record, find },
      webhooks: { decode }
    }
  })

/** The ERP ports on a client provided separately (tests swap it). */
export const layerClient = (
  options: Options
): Layer.Layer<
  Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks,
  never,
  NetSuiteClient.NetSuiteClient
> => Layer.effectContext(Effect.map(make(options), Erp.context))

/** The ERP ports on NetSuite over `fetch`, with settings given in code (a fake's base URL, say). */
export const layer = (
  settings: NetSuiteClient.Settings & Options
): Layer.Layer<Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks> =>
  layerClient(settings).pipe(
    Layer.provide(NetSuiteClient.layer(settings)),
    Layer.provide(FetchHttpClient.layer)
  )

/** Options from `NETSUITE_*` configuration. */
export const optionsConfig: Config.Config<Options> = Config.nested(
  Config.all({
    webhookSecret: Config.redacted("WEBHOOK_SECRET"),
    webhookToleranceSeconds: Config.integer("WEBHOOK_TOLERANCE_SECONDS").pipe(
      Config.withDefault(300)
    ),
    pricesIncludeTax: Config.boolean("PRICES_INCLUDE_TAX").pipe(Config.withDefault(true)),
    priceLevel: Config.string("PRICE_LEVEL").pipe(Config.withDefault("1")),
    locations: Config.option(Config.array(Config.string(), "LOCATIONS")).pipe(
      Config.map(Option.getOrUndefined)
    ),
    customerId: Config.option(Config.string("CUSTOMER_ID")).pipe(Config.map(Option.getOrUndefined))
  }),
  "NETSUITE"
)

/** The ERP ports on NetSuite over `fetch`, configured from `NETSUITE_*`. */
export const layerConfig: Layer.Layer<
  Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks,
  ConfigError.ConfigError
> = Layer.unwrapEffect(Effect.map(optionsConfig, layerClient)).pipe(
  Layer.provide(NetSuiteClient.layerConfig),
  Layer.provide(FetchHttpClient.layer)
)
