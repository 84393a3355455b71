/**
 * An ERP held in memory: stock, prices and orders from a seed, changed by a
 * control service, so tests and local runs need no vendor.
 *
 * ```ts
 * const program = Effect.gen(function* () {
 *   const stock = yield* Erp.ErpStock
 *   return yield* stock.levels([Ids.Sku.make("MUG-1")])
 * })
 * Effect.runPromise(Effect.provide(program, MemoryErp.layer(seed)))
 * ```
 *
 * Its notifications are plain JSON lists of domain events (see
 * {@link webhook}); they are not signed and are for tests only.
 *
 * @since 0.1.0
 */
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
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/** One item of the seed: a SKU with its prices per currency and stock per location. */
export interface SeedItem {
  readonly sku: string
  readonly name: string
  /** Decimal prices by ISO 4217 code: `{ EUR: "12.50", JPY: "1800" }`. */
  readonly prices: Readonly<Record<string, string>>
  readonly stock: ReadonlyArray<{ readonly location: string; readonly available: number }>
}

/** What the ERP starts with. */
export interface Seed {
  readonly items: ReadonlyArray<SeedItem>
  /** True when the seeded prices include tax. */
  readonly taxInclusive?: boolean
}

/** An order as the memory ERP recorded it. */
export interface RecordedOrder {
  readonly order: Order.Order
  readonly erpReference: string
}

/** A failure the next ERP call answers with; `TimeoutAfterWrite` records first, then times out. */
export type Fault = "RateLimited" | "Unavailable" | "Timeout" | "TimeoutAfterWrite"

/** Moves the memory ERP's data and reads what it recorded. */
export class MemoryErpControl extends Context.Tag("@mercantile/testkit/MemoryErpControl")<
  MemoryErpControl,
  {
    /** Adds items, or replaces those with the same SKU. */
    readonly seed: (items: ReadonlyArray<SeedItem>) => Effect.Effect<void>
    /** Sets one SKU's available units at one location. */
    readonly setStock: (sku: string, location: string, available: number) => Effect.Effect<void>
    /** Sets one SKU's price in one currency (a decimal string). */
    readonly setPrice: (sku: string, currency: string, amount: string) => Effect.Effect<void>
    /** Every order recorded, oldest first. */
    readonly orders: Effect.Effect<ReadonlyArray<RecordedOrder>>
    /** Makes the next ERP call fail. */
    readonly failNext: (fault: Fault) => Effect.Effect<void>
  }
>() {}

interface Item {
  readonly sku: Ids.Sku
  readonly name: string
  readonly prices: Map<Currency.CurrencyCode, Money.Money>
  readonly stock: Map<Ids.LocationId, { available: number; version: bigint }>
}

const currencyOf = (code: string): Currency.CurrencyCode => {
  if (!Currency.isCurrencyCode(code)) throw new Error(`MemoryErp: unknown currency ${code}`)
  return code
}

const moneyOf = (currency: string, amount: string): Money.Money =>
  Either.getOrThrowWith(
    Money.fromDecimal(currencyOf(currency), amount),
    (error) => new Error(`MemoryErp: ${error.message}`)
  )

const toItem = (seed: SeedItem, version: bigint): Item => ({
  sku: Ids.Sku.make(seed.sku),
  name: seed.name,
  prices: new Map(
    Object.entries(seed.prices).map(([code, amount]) => [currencyOf(code), moneyOf(code, amount)])
  ),
  stock: new Map(
    seed.stock.map((s) => [Ids.LocationId.make(s.location), { available: s.available, version }])
  )
})

const EventsJson = Schema.parseJson(
  Schema.Struct({
    events: Schema.Array(
      Schema.Struct(
        { occurredAt: Schema.DateFromString },
        { key: Schema.String, value: Schema.Unknown }
      )
    )
  })
)

/** A notification carrying these events, as the memory ERP, CMS and Merchant of Record accept it. */
export const webhook = (events: ReadonlyArray<Event.UpstreamEvent>): Webhook.RawWebhook => {
  const encoded = Schema.encodeSync(Schema.Array(Event.UpstreamEvent))(events)
  return Webhook.make([["content-type", "application/json"]], JSON.stringify({ events: encoded }))
}

/** Decodes a {@link webhook} body; every event must come from `source`. */
export const decodeWebhook = (
  source: Event.Source,
  raw: Webhook.RawWebhook
): Effect.Effect<ReadonlyArray<Event.UpstreamEvent>, Webhook.WebhookError> =>
  Schema.decodeUnknown(EventsJson)(Webhook.text(raw)).pipe(
    Effect.flatMap(({ events }) =>
      Schema.decodeUnknown(Schema.Array(Event.UpstreamEvent))(events.map((e) => ({ ...e })))
    ),
    Effect.mapError(
      (error) => new Webhook.WebhookError({ reason: "Malformed", source, detail: error.message })
    ),
    Effect.filterOrFail(
      (events) => events.every((e) => e.source === source),
      () =>
        new Webhook.WebhookError({
          reason: "Unsupported",
          source,
          detail: `only ${source} events are accepted here`
        })
    )
  )

/** Builds the four ERP services and their control over one in-memory state. */
export const make = (seed: Seed) =>
  Effect.sync(() => {
    let clock = 1n
    const taxInclusive = seed.taxInclusive ?? false
    const items = new Map<Ids.Sku, Item>()
    const orders = new Map<Ids.OrderId, RecordedOrder>()
    let pending: Fault | undefined
    for (const item of seed.items) items.set(Ids.Sku.make(item.sku), toItem(item, clock))

    const fault = (operation: string, wrote = false) =>
      Effect.suspend(() => {
        const next = pending
        if (next === undefined) return Effect.void
        if (next === "TimeoutAfterWrite" && !wrote) return Effect.void
        pending = undefined
        const reason = next === "TimeoutAfterWrite" ? "Timeout" : next
        return Effect.fail(new Erp.ErpError({ reason, operation, detail: `injected ${next}` }))
      })

    const levels = (skus: ReadonlyArray<Ids.Sku>) =>
      fault("levels").pipe(
        Effect.andThen(() =>
          [...new Set(skus)].flatMap((sku) => {
            const item = items.get(sku)
            if (item === undefined) return []
            return [...item.stock].map(
              ([locationId, s]) =>
                new Reservation.StockLevel({
                  sku,
                  locationId,
                  available: s.available,
                  version: s.version
                })
            )
          })
        ),
        Effect.withSpan("MemoryErp.levels")
      )

    const lists = (skus: ReadonlyArray<Ids.Sku>, context: PricingContext.PricingContext) =>
      fault("lists").pipe(
        Effect.andThen(() => {
          const prices = [...new Set(skus)].flatMap((sku) => {
            const amount = items.get(sku)?.prices.get(context.currency)
            return amount === undefined
              ? []
              : [new PriceList.Price({ id: `base-${sku}`, sku, amount })]
          })
          if (prices.length === 0) return []
          return [
            new PriceList.PriceList({
              id: `base-${context.currency}`,
              kind: "Base",
              currency: context.currency,
              taxInclusive,
              prices
            })
          ]
        }),
        Effect.withSpan("MemoryErp.lists")
      )

    const find = (orderId: Ids.OrderId) =>
      fault("find").pipe(
        Effect.map(() =>
          Option.fromNullable(orders.get(orderId)).pipe(
            Option.map((r): Erp.ErpOrderRef => ({ orderId, erpReference: r.erpReference }))
          )
        ),
        Effect.withSpan("MemoryErp.find")
      )

    const record = (order: Order.Order) =>
      Effect.suspend(() => {
        if (pending !== undefined && pending !== "TimeoutAfterWrite") return fault("record")
        if (!orders.has(order.id)) {
          const erpReference = `MEM-${String(orders.size + 1).padStart(6, "0")}`
          orders.set(order.id, { order, erpReference })
        }
        return fault("record", true)
      }).pipe(
        Effect.map((): Erp.ErpOrderRef => ({
          orderId: order.id,
          erpReference: orders.get(order.id)?.erpReference ?? ""
        })),
        Effect.annotateLogs("order_id", order.id),
        Effect.withSpan("MemoryErp.record")
      )

    const control: Context.Tag.Service<MemoryErpControl> = {
      seed: (seeded) =>
        Effect.sync(() => {
          clock += 1n
          for (const item of seeded) items.set(Ids.Sku.make(item.sku), toItem(item, clock))
        }),
      setStock: (sku, location, available) =>
        Effect.sync(() => {
          const item = items.get(Ids.Sku.make(sku))
          if (item === undefined) throw new Error(`MemoryErp: unknown SKU ${sku}`)
          clock += 1n
          item.stock.set(Ids.LocationId.make(location), { available, version: clock })
        }),
      setPrice: (sku, currency, amount) =>
        Effect.sync(() => {
          const item = items.get(Ids.Sku.make(sku))
          if (item === undefined) throw new Error(`MemoryErp: unknown SKU ${sku}`)
          item.prices.set(currencyOf(currency), moneyOf(currency, amount))
        }),
      orders: Effect.sync(() => [...orders.values()]),
      failNext: (next) =>
        Effect.sync(() => {
          pending = next
        })
    }

    return {
      stock: Erp.ErpStock.of({ levels }),
      prices: Erp.ErpPrices.of({ lists }),
      orders: Erp.ErpOrders.of({ record, find }),
      webhooks: Erp.ErpWebhooks.of({
        decode: (raw) => decodeWebhook("erp", raw).pipe(Effect.withSpan("MemoryErp.decode"))
      }),
      control: MemoryErpControl.of(control)
    }
  })

/** The four ERP ports and {@link MemoryErpControl}, seeded. */
export const layer = (
  seed: Seed
): Layer.Layer<Erp.ErpStock | Erp.ErpPrices | Erp.ErpOrders | Erp.ErpWebhooks | MemoryErpControl> =>
  Layer.effectContext(
    Effect.map(make(seed), (s) => Context.add(Erp.context(s), MemoryErpControl, s.control))
  )
