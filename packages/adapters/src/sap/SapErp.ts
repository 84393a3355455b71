/**
 * The ERP ports on SAP S/4HANA Cloud, over {@link SapClient}.
 *
 * - Stock: `API_MATERIAL_STOCK_SRV` `A_MatlStkInAcctMod`, unrestricted-use
 *   own stock (`InventoryStockType` "01", no special stock) summed per plant
 *   and storage location; the location id is `<Plant>-<StorageLocation>`, or
 *   the plant alone for plant-level rows. Many SKUs go in one `$filter`.
 * - Prices: `API_SLSPRICINGCONDITIONRECORD_SRV` `A_SlsPrcgCndnRecdValidity`
 *   with its condition record expanded, for the configured condition type
 *   (PPR0), sales organization and distribution channel, valid at the
 *   context's instant. Records without a customer form the `Base` list of a
 *   currency; records for the context's customer form its `Contract` list.
 * - Orders: `API_SALES_ORDER_SRV` `A_SalesOrder` deep insert with `to_Item`,
 *   our order id as `PurchaseOrderByCustomer`. Before every create, and
 *   before every retry of one, the order is looked up by that reference and
 *   the sold-to party, so a timed-out create is found, never duplicated.
 * - Notifications: CloudEvents 1.0 business events (`sap.s4.beh.*`) pushed
 *   by an SAP Event Mesh webhook subscription. Event Mesh authenticates a
 *   webhook with Basic credentials (it cannot sign the body), so `decode`
 *   requires `Authorization: Basic` with the configured
 *   `SAP_WEBHOOK_USERNAME` / `SAP_WEBHOOK_PASSWORD`, compared in constant
 *   time; without them every notification is refused. The events carry keys
 *   only, so a sales order event is completed by reading the order. A lookup
 *   that fails is a defect: the webhook answers 500 and Event Mesh redelivers.
 *   Event ids are the CloudEvent `id`, suffixed (`#price`, `#stock`,
 *   `#<material>`) when one CloudEvent gives several events.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Erp, Event, Ids, Money, PriceList, Reservation, Webhook } from "@mercantile/domain"
import { Currency } from "@mercantile/domain"
import type { Order, PricingContext } from "@mercantile/domain"
import * as Arr from "effect/Array"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash, timingSafeEqual } from "node:crypto"
import { literal, wholeQuantity } from "./OData"
import * as SapClient from "./SapClient"
import * as SapSchema from "./SapSchema"

/** Everything the SAP ERP adapter needs besides HTTP. */
export interface Options extends SapClient.Options {
  readonly salesOrganization: string
  readonly distributionChannel: string
  readonly division: string
  /** The business partner every web order is sold to. */
  readonly soldToParty: string
  /** Plants whose stock is sold; empty means every plant. */
  readonly plants: ReadonlyArray<string>
  readonly pricesIncludeTax: boolean
  /** The sales document type of web orders; "OR" unless told. */
  readonly salesOrderType?: string
  /** The price condition type; "PPR0" unless told. */
  readonly conditionType?: string
  /** The Basic credentials Event Mesh sends with each webhook. */
  readonly webhook?: { readonly username: string; readonly password: Redacted.Redacted }
}

const maxPerFilter = 40
const stockFields = [
  "Material",
  "Plant",
  "StorageLocation",
  "InventoryStockType",
  "InventorySpecialStockType",
  "MatlWrhsStkQtyInMatlBaseUnit"
]
const orderFields = "SalesOrder,PurchaseOrderByCustomer,SoldToParty,OverallSDProcessStatus"
const createAttempts = 3
const source = "sap"

const chunks = <A>(items: ReadonlyArray<A>): Array<Array<A>> =>
  Arr.chunksOf(items, maxPerFilter).map((chunk) => [...chunk])

const anyOf = (field: string, values: ReadonlyArray<string>) =>
  `(${values.map((v) => `${field} eq ${literal(v)}`).join(" or ")})`

const query = (entitySet: string, params: Record<string, string>) =>
  `${entitySet}?${Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join("&")}`

const datetime = (at: Date) => `datetime'${at.toISOString().slice(0, 19)}'`

const decodeError = (operation: string, detail: string) =>
  new Erp.ErpError({ reason: "Decode", operation, detail })

/** The location id of a stock row: `<Plant>-<StorageLocation>`, or the plant alone. */
export const locationOf = (plant: string, storageLocation: string): string =>
  storageLocation === "" ? plant : `${plant}-${storageLocation}`

/** The domain's name for SAP's overall processing status; exhaustive. */
export const statusOf = (status: SapSchema.ProcessStatus): string => {
  switch (status) {
    case "":
      return "NotRelevant"
    case "A":
      return "Open"
    case "B":
      return "InProcess"
    case "C":
      return "Completed"
  }
}

const digest = (text: string) => createHash("sha256").update(text).digest()

/** Builds the four ERP services over a {@link SapClient.SapClient}. */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const client = yield* SapClient.SapClient
    const conditionType = options.conditionType ?? "PPR0"
    const plantFilter = options.plants.length === 0 ? [] : [anyOf("Plant", options.plants)]

    const stockRows = (skus: ReadonlyArray<string>) =>
      client.getAll(
        SapSchema.services.stock,
        query("A_MatlStkInAcctMod", {
          $filter: [anyOf("Material", skus), "InventoryStockType eq '01'", ...plantFilter].join(
            " and "
          ),
          $select: stockFields.join(",")
        }),
        SapSchema.MaterialStock
      )

    const levels = (skus: ReadonlyArray<Ids.Sku>) =>
      Effect.gen(function* () {
        const wanted = new Set<string>(skus)
        const batches = yield* Effect.forEach(chunks([...wanted]), stockRows, { concurrency: 4 })
        const totals = new Map<string, { sku: Ids.Sku; location: string; available: number }>()
        for (const row of batches.flat()) {
          if (!wanted.has(row.Material) || row.InventoryStockType !== "01") continue
          if ((row.InventorySpecialStockType ?? "") !== "") continue
          const units = wholeQuantity(row.MatlWrhsStkQtyInMatlBaseUnit)
          if (Either.isLeft(units)) {
            return yield* decodeError("levels", `material ${row.Material}: ${units.left}`)
          }
          const location = locationOf(row.Plant, row.StorageLocation)
          const key = `${row.Material}\u0000${location}`
          const sum = totals.get(key)?.available ?? 0
          totals.set(key, {
            sku: row.Material as Ids.Sku,
            location,
            available: sum + units.right
          })
        }
        return yield* Effect.forEach([...totals.values()], (t) =>
          Schema.decodeUnknown(Ids.LocationId)(t.location).pipe(
            Effect.mapError(() => decodeError("levels", `bad location ${t.location}`)),
            Effect.map(
              (locationId) =>
                new Reservation.StockLevel({ sku: t.sku, locationId, available: t.available })
            )
          )
        )
      }).pipe(Effect.annotateLogs("sku_count", skus.length), Effect.withSpan("SapErp.levels"))

    const validities = (skus: ReadonlyArray<string>, at: Date) =>
      client.getAll(
        SapSchema.services.pricing,
        query("A_SlsPrcgCndnRecdValidity", {
          $filter: [
            anyOf("Material", skus),
            `ConditionType eq ${literal(conditionType)}`,
            `SalesOrganization eq ${literal(options.salesOrganization)}`,
            `DistributionChannel eq ${literal(options.distributionChannel)}`,
            `ConditionValidityStartDate le ${datetime(at)}`,
            `ConditionValidityEndDate ge ${datetime(at)}`
          ].join(" and "),
          $expand: "to_SlsPrcgConditionRecord"
        }),
        SapSchema.ConditionValidity
      )

    const priceOf = (
      validity: SapSchema.ConditionValidity,
      context: PricingContext.PricingContext
    ): Either.Either<Option.Option<PriceList.Price>, Erp.ErpError> => {
      const material = validity.Material
      const fail = (detail: string) =>
        Either.left(decodeError("lists", `material ${material}: ${detail}`))
      const record = validity.to_SlsPrcgConditionRecord
      if (record === undefined || "__deferred" in record)
        return fail("condition record not expanded")
      if (record.ConditionIsDeleted === true) return Either.right(Option.none())
      if (record.ConditionRateValueUnit !== context.currency) {
        if (Currency.isCurrencyCode(record.ConditionRateValueUnit))
          return Either.right(Option.none())
        return fail(`condition unit ${record.ConditionRateValueUnit} is not a currency`)
      }
      const per = wholeQuantity(record.ConditionQuantity ?? "1")
      // TODO(sap-price-per-quantity): divide exactly when a condition prices per 10 or 100 units
      if (Either.isLeft(per) || per.right !== 1) {
        return fail(`priced per ${record.ConditionQuantity} units, only per 1 is read`)
      }
      const amount = Money.fromDecimal(context.currency, record.ConditionRateValue)
      if (Either.isLeft(amount)) return fail(amount.left.message)
      if (Money.isNegative(amount.right)) return fail(`negative price ${record.ConditionRateValue}`)
      const sku = Schema.decodeUnknownEither(Ids.Sku)(material)
      if (Either.isLeft(sku)) return fail("not a SKU")
      return Either.right(
        Option.some(
          new PriceList.Price({
            id: record.ConditionRecord,
            sku: sku.right,
            amount: amount.right,
            validFrom: validity.ConditionValidityStartDate,
            validUntil: validity.ConditionValidityEndDate
          })
        )
      )
    }

    const lists = (skus: ReadonlyArray<Ids.Sku>, context: PricingContext.PricingContext) =>
      Effect.gen(function* () {
        const wanted = [...new Set<string>(skus)]
        const rows = yield* Effect.forEach(chunks(wanted), (c) => validities(c, context.at), {
          concurrency: 4
        })
        const base: Array<PriceList.Price> = []
        const contract: Array<PriceList.Price> = []
        for (const validity of rows.flat()) {
          const customer = validity.Customer ?? ""
          if (customer !== "" && customer !== context.customerId) continue
          const price = yield* priceOf(validity, context)
          if (Option.isNone(price)) continue
          ;(customer === "" ? base : contract).push(price.value)
        }
        const list = (kind: "Base" | "Contract", prices: ReadonlyArray<PriceList.Price>) =>
          new PriceList.PriceList({
            id: [
              `sap-${conditionType}-${context.currency}`,
              kind === "Contract" ? context.customerId : []
            ]
              .flat()
              .join("-"),
            kind,
            currency: context.currency,
            taxInclusive: options.pricesIncludeTax,
            priority: kind === "Contract" ? 10 : 0,
            prices
          })
        return [
          ...(base.length > 0 ? [list("Base", base)] : []),
          ...(contract.length > 0 ? [list("Contract", contract)] : [])
        ]
      }).pipe(Effect.withSpan("SapErp.lists"))

    const lookup = (orderId: Ids.OrderId) =>
      client
        .getAll(
          SapSchema.services.salesOrder,
          query("A_SalesOrder", {
            $filter: [
              `PurchaseOrderByCustomer eq ${literal(orderId)}`,
              `SoldToParty eq ${literal(options.soldToParty)}`
            ].join(" and "),
            $select: orderFields,
            $top: "5"
          }),
          SapSchema.SalesOrder
        )
        .pipe(
          Effect.tap((found) =>
            found.length > 1
              ? Effect.logWarning("SAP holds several sales orders for one of our orders").pipe(
                  Effect.annotateLogs("sales_orders", found.map((o) => o.SalesOrder).join(","))
                )
              : Effect.void
          ),
          Effect.map((found) =>
            Option.map(
              Arr.head([...found].sort((a, b) => a.SalesOrder.localeCompare(b.SalesOrder))),
              (o): Erp.ErpOrderRef => ({ orderId, erpReference: o.SalesOrder })
            )
          )
        )

    const createBody = (order: Order.Order): SapSchema.SalesOrderCreate => ({
      SalesOrderType: options.salesOrderType ?? "OR",
      SalesOrganization: options.salesOrganization,
      DistributionChannel: options.distributionChannel,
      OrganizationDivision: options.division,
      SoldToParty: options.soldToParty,
      PurchaseOrderByCustomer: order.id,
      TransactionCurrency: order.currency,
      // TODO(sap-pricing-elements): send the charged unit prices as manual conditions when the
      // pricing procedure of the sales organization allows them; SAP prices the order itself today
      to_Item: order.lines.map((line, index) => ({
        SalesOrderItem: String((index + 1) * 10),
        Material: line.sku,
        RequestedQuantity: String(line.quantity)
      }))
    })

    const create = (order: Order.Order) =>
      Schema.encode(SapSchema.SalesOrderCreate)(createBody(order)).pipe(
        Effect.mapError(
          (error) =>
            new Erp.ErpError({ reason: "Rejected", operation: "record", detail: error.message })
        ),
        Effect.flatMap((body) =>
          client.post(SapSchema.services.salesOrder, "A_SalesOrder", body, SapSchema.SalesOrder)
        ),
        Effect.map((o): Erp.ErpOrderRef => ({ orderId: order.id, erpReference: o.SalesOrder }))
      )

    const attempt = (order: Order.Order, n: number): Effect.Effect<Erp.ErpOrderRef, Erp.ErpError> =>
      Effect.flatMap(lookup(order.id), (found) => {
        if (Option.isSome(found)) return Effect.succeed(found.value)
        return create(order).pipe(
          Effect.catchIf(
            (error) =>
              n + 1 < createAttempts && (error.reason === "Timeout" || Erp.isRetryable(error)),
            (error) => {
              const delay = error.retryAfter ?? Duration.millis(250 * 2 ** n)
              return Effect.logWarning("SAP sales order create unconfirmed; looking it up").pipe(
                Effect.annotateLogs({ reason: error.reason, delay: Duration.format(delay) }),
                Effect.zipRight(Effect.sleep(delay)),
                Effect.zipRight(attempt(order, n + 1))
              )
            }
          )
        )
      })

    const record = (order: Order.Order) =>
      attempt(order, 0).pipe(
        Effect.tap((ref) =>
          Effect.logInfo("order recorded in SAP").pipe(
            Effect.annotateLogs("sales_order", ref.erpReference)
          )
        ),
        Effect.annotateLogs("order_id", order.id),
        Effect.withSpan("SapErp.record")
      )

    const find = (orderId: Ids.OrderId) =>
      lookup(orderId).pipe(Effect.annotateLogs("order_id", orderId), Effect.withSpan("SapErp.find"))

    const refuse = (reason: Webhook.WebhookError["reason"], detail: string) =>
      new Webhook.WebhookError({ reason, source, detail })

    const verify = (raw: Webhook.RawWebhook) =>
      Effect.suspend(() => {
        const credentials = options.webhook
        if (credentials === undefined) {
          return Effect.fail(refuse("BadSignature", "no SAP webhook credentials are configured"))
        }
        const header = raw.headers["authorization"]
        if (header === undefined || header === "") {
          return Effect.fail(refuse("MissingSignature", "no Authorization header"))
        }
        const expected = `Basic ${Buffer.from(
          `${credentials.username}:${Redacted.value(credentials.password)}`
        ).toString("base64")}`
        return timingSafeEqual(digest(header), digest(expected))
          ? Effect.void
          : Effect.fail(refuse("BadSignature", "Authorization does not match"))
      })

    const skuOf = (material: string) =>
      Schema.decodeUnknown(Ids.Sku)(material).pipe(
        Effect.mapError(() => refuse("Malformed", `material ${material} is not a SKU`))
      )

    const dataOf = <A, I>(schema: Schema.Schema<A, I>, event: SapSchema.CloudEvent) =>
      Schema.decodeUnknown(schema)(event.data).pipe(
        Effect.mapError((error) => refuse("Malformed", `${event.type}: ${error.message}`))
      )

    const salesOrderEvents = (event: SapSchema.CloudEvent, envelope: Envelope) =>
      Effect.gen(function* () {
        const { SalesOrder } = yield* dataOf(SapSchema.SalesOrderEventData, event)
        const read = yield* client
          .get(
            SapSchema.services.salesOrder,
            `A_SalesOrder(${literal(SalesOrder)})?$select=${orderFields}`,
            SapSchema.SalesOrder
          )
          .pipe(
            Effect.map((tagged) => Option.some(tagged.value)),
            Effect.catchIf(
              (error) => error.reason === "NotFound",
              () => Effect.succeed(Option.none())
            ),
            Effect.orDie
          )
        const order = Option.getOrUndefined(read)
        const orderId = Schema.decodeUnknownOption(Ids.OrderId)(order?.PurchaseOrderByCustomer)
        if (
          order === undefined ||
          Option.isNone(orderId) ||
          order.SoldToParty !== options.soldToParty
        ) {
          yield* Effect.logDebug("SAP sales order event is not about a web order").pipe(
            Effect.annotateLogs("sales_order", SalesOrder)
          )
          return []
        }
        return [
          new Event.OrderStatusChanged({
            ...envelope,
            orderId: orderId.value,
            erpReference: order.SalesOrder,
            status: statusOf(order.OverallSDProcessStatus ?? "")
          })
        ]
      })

    const conditionEvents = (event: SapSchema.CloudEvent, envelope: Envelope) =>
      Effect.gen(function* () {
        const { ConditionRecord } = yield* dataOf(SapSchema.ConditionRecordEventData, event)
        const rows = yield* client
          .getAll(
            SapSchema.services.pricing,
            query("A_SlsPrcgCndnRecdValidity", {
              $filter: `ConditionRecord eq ${literal(ConditionRecord)}`
            }),
            SapSchema.ConditionValidity
          )
          .pipe(Effect.orDie)
        const materials = [...new Set(rows.map((r) => r.Material))]
        return yield* Effect.forEach(materials, (material) =>
          Effect.map(
            skuOf(material),
            (sku) =>
              new Event.PriceChanged({
                ...envelope,
                eventId: suffixed(envelope.eventId, materials.length > 1 ? material : undefined),
                sku
              })
          )
        )
      })

    const toEvents = (event: SapSchema.CloudEvent) =>
      Effect.gen(function* () {
        const envelope: Envelope = {
          eventId: Ids.EventId.make(event.id),
          source: "erp",
          occurredAt: event.time
        }
        const match = /^sap\.s4\.beh\.(\w+)\.v1\.(\w+)\.(\w+)\.v1$/.exec(event.type)
        const [, object, , action] = match ?? []
        const changed = action === "Created" || action === "Changed"
        if (object === "salesorder" && changed) return yield* salesOrderEvents(event, envelope)
        if (object === "product" && changed) {
          const sku = yield* skuOf((yield* dataOf(SapSchema.ProductEventData, event)).Product)
          return [
            new Event.PriceChanged({
              ...envelope,
              eventId: suffixed(envelope.eventId, "price"),
              sku
            }),
            new Event.StockChanged({
              ...envelope,
              eventId: suffixed(envelope.eventId, "stock"),
              sku
            })
          ]
        }
        // TODO(sap-event-names): check the stock and condition event types against the tenant's
        // event catalog when one is connected; they follow the sap.s4.beh naming of the others
        if (object === "materialstock" && changed) {
          const data = yield* dataOf(SapSchema.MaterialStockEventData, event)
          const sku = yield* skuOf(data.Material)
          const location =
            data.Plant === undefined
              ? undefined
              : locationOf(data.Plant, data.StorageLocation ?? "")
          const locationId = Schema.decodeUnknownOption(Ids.LocationId)(location)
          return [
            new Event.StockChanged({
              ...envelope,
              sku,
              ...(Option.isSome(locationId) ? { locationId: locationId.value } : {})
            })
          ]
        }
        if (object === "slsprcgcndnrecd" && changed) return yield* conditionEvents(event, envelope)
        return yield* refuse("Unsupported", `event type ${event.type}`)
      })

    const decode = (raw: Webhook.RawWebhook) =>
      verify(raw).pipe(
        Effect.zipRight(
          Schema.decodeUnknown(Schema.parseJson(SapSchema.CloudEvent))(Webhook.text(raw)).pipe(
            Effect.mapError((error) => refuse("Malformed", error.message))
          )
        ),
        Effect.flatMap((event) =>
          toEvents(event).pipe(Effect.annotateLogs({ event_id: event.id, event_type: event.type }))
        ),
        Effect.tapError((error) =>
          Effect.logWarning("SAP notification refused").pipe(
            Effect.annotateLogs({ reason: error.reason, detail: error.detail })
          )
        ),
        Effect.withSpan("SapErp.decode")
      )

    return {
      stock: Erp.ErpStock.of({ levels }),
      prices: Erp.ErpPrices.of({ lists }),
      orders: Erp.ErpOrders.of({ record, find }),
      webhooks: Erp.ErpWebhooks.of({ decode })
    }
  })

interface Envelope {
  readonly eventId: Ids.EventId
  readonly source: "erp"
  readonly occurredAt: Date
}

const suffixed = (id: Ids.EventId, suffix: string | undefined): Ids.EventId =>
  suffix === undefined ? id : Ids.EventId.make(`${id}#${suffix}`)

/** The four ERP ports over an existing {@link SapClient.SapClient}. */
export const layerWithClient = (
  options: Options
): Layer.Layer<
  Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks,
  never,
  SapClient.SapClient
> => Layer.effectContext(Effect.map(make(options), Erp.context))

/** The four ERP ports on SAP; needs an `HttpClient` (e.g. `FetchHttpClient.layer`). */
export const layer = (
  options: Options
): Layer.Layer<
  Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks,
  never,
  HttpClient.HttpClient
> => Layer.provide(layerWithClient(options), SapClient.layer(options))

/** Reads {@link Options} from `SAP_*` settings; `SAP_API_KEY`, when set, replaces Basic auth. */
export const config: Config.Config<Options> = Config.all({
  baseUrl: Config.string("SAP_BASE_URL"),
  username: Config.string("SAP_USERNAME").pipe(Config.withDefault("")),
  password: Config.redacted("SAP_PASSWORD").pipe(Config.withDefault(Redacted.make(""))),
  apiKey: Config.option(Config.redacted("SAP_API_KEY")),
  salesOrganization: Config.string("SAP_SALES_ORGANIZATION"),
  distributionChannel: Config.string("SAP_DISTRIBUTION_CHANNEL"),
  division: Config.string("SAP_DIVISION"),
  soldToParty: Config.string("SAP_SOLD_TO_PARTY"),
  plants: Config.array(Config.string(), "SAP_PLANTS").pipe(Config.withDefault([])),
  pricesIncludeTax: Config.boolean("SAP_PRICES_INCLUDE_TAX").pipe(Config.withDefault(false)),
  timeout: Config.duration("SAP_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10))),
  webhookUsername: Config.option(Config.string("SAP_WEBHOOK_USERNAME")),
  webhookPassword: Config.option(Config.redacted("SAP_WEBHOOK_PASSWORD"))
}).pipe(
  Config.mapOrFail((c) => {
    const auth: SapClient.Auth = Option.isSome(c.apiKey)
      ? { _tag: "ApiKey", apiKey: c.apiKey.value }
      : { _tag: "Basic", username: c.username, password: c.password }
    if (auth._tag === "Basic" && c.username === "") {
      return Either.left(
        ConfigError.MissingData(["SAP_USERNAME"], "SAP_USERNAME or SAP_API_KEY is required")
      )
    }
    const webhook =
      Option.isSome(c.webhookUsername) && Option.isSome(c.webhookPassword)
        ? { webhook: { username: c.webhookUsername.value, password: c.webhookPassword.value } }
        : {}
    return Either.right({
      baseUrl: c.baseUrl,
      auth,
      timeout: c.timeout,
      salesOrganization: c.salesOrganization,
      distributionChannel: c.distributionChannel,
      division: c.division,
      soldToParty: c.soldToParty,
      plants: c.plants,
      pricesIncludeTax: c.pricesIncludeTax,
      ...webhook
    })
  })
)

/** The four ERP ports on SAP, configured from `SAP_*` settings. */
export const layerConfig: Layer.Layer<
  Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks,
  ConfigError.ConfigError,
  HttpClient.HttpClient
> = Layer.unwrapEffect(Effect.map(config, layer))
