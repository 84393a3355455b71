/**
 * The `Pim` port on Akeneo.
 *
 * A variant product maps to one `Pim.Product`:
 * - `productId` is its root product model's code, `slug` that code
 *   lower-cased with each run of other characters turned into "-";
 *   a simple product (no parent) is its own model.
 * - `name` is the `name` value, else `variation_name`, else `erp_name`, else
 *   the SKU; `description` the `description` value (locale and channel from
 *   the config). Akeneo's product answers already carry inherited values.
 * - `attributes` are the family variant's axis values, options shown by
 *   their label (`linked_data`), metrics as "amount unit".
 * - `listPrices` come from the `price` collection; amounts Akeneo left
 *   null, or in a currency we do not know, are left out with a warning.
 *
 * @since 0.1.0
 */
import { Currency, Ids, Money, Pim } from "@mercantile/domain"
import * as Arr from "effect/Array"
import * as Cache from "effect/Cache"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as AkeneoClient from "./AkeneoClient"
import * as AkeneoSchema from "./AkeneoSchema"

const productsPath = "/api/rest/v1/products-uuid"

/** The attribute holding list prices. */
export const priceAttribute = "price"

/** Lower-cases a model code and turns each run of other characters into "-". */
export const slugify = (code: string): string =>
  code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")

/** Akeneo's date filter format, UTC: `YYYY-MM-DD hh:mm:ss`. */
export const formatDate = (date: Date): string => date.toISOString().slice(0, 19).replace("T", " ")

const toPimError = (error: AkeneoClient.AkeneoError): Pim.PimError =>
  new Pim.PimError({
    reason:
      error.reason === "Unauthorized" || error.reason === "Forbidden"
        ? "Unauthorized"
        : error.reason === "RateLimited"
          ? "RateLimited"
          : error.reason === "Decode"
            ? "Decode"
            : "Unavailable",
    operation: error.operation,
    detail: error.message
  })

/** The value of `attribute` for a locale and a channel, falling back to unlocalized and unscoped ones. */
export const pick = (
  values: AkeneoSchema.Values,
  attribute: string,
  locale: string,
  channel: string
): AkeneoSchema.Value | undefined => {
  const candidates = (values[attribute] ?? []).filter(
    (v) =>
      (v.locale === null || v.locale === locale) &&
      (v.scope === null || v.scope === channel) &&
      v.data !== null &&
      v.data !== ""
  )
  const rank = (v: AkeneoSchema.Value) => (v.locale === null ? 0 : 2) + (v.scope === null ? 0 : 1)
  return candidates.sort((a, b) => rank(b) - rank(a))[0]
}

const text = (value: AkeneoSchema.Value | undefined): string | undefined =>
  typeof value?.data === "string" && value.data.trim() !== "" ? value.data.trim() : undefined

/** A decimal written without trailing zeros ("32.0000" → "32"). */
const plain = (amount: string | number): string => {
  const s = String(amount)
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s
}

const isOption = Schema.is(AkeneoSchema.LinkedOption)
const isMetric = Schema.is(AkeneoSchema.Metric)

/** How an axis value reads to a shopper. */
export const display = (value: AkeneoSchema.Value, locale: string): string | undefined => {
  const data = value.data
  if (typeof data === "string") {
    const linked = value.linked_data
    const label = isOption(linked) ? linked.labels[locale] : undefined
    return (label ?? data).trim()
  }
  if (isMetric(data)) return `${plain(data.amount)} ${data.unit}`
  if (typeof data === "number" || typeof data === "boolean") return String(data)
  return undefined
}

const decodePrices = Schema.decodeUnknownEither(AkeneoSchema.PriceCollection)

/** The list prices of a `price` value, each exact. */
export const listPrices = (
  value: AkeneoSchema.Value | undefined
): { readonly prices: Array<Money.Money>; readonly skipped: Array<string> } => {
  const prices: Array<Money.Money> = []
  const skipped: Array<string> = []
  if (value === undefined) return { prices, skipped }
  const decoded = decodePrices(value.data)
  if (Either.isLeft(decoded)) return { prices, skipped: ["price is not a price collection"] }
  for (const { amount, currency } of decoded.right) {
    if (amount === null) continue
    if (!Currency.isCurrencyCode(currency)) {
      skipped.push(`unknown currency ${currency}`)
      continue
    }
    const money = Money.fromDecimal(currency, plain(amount))
    if (Either.isLeft(money)) skipped.push(money.left.message)
    else prices.push(money.right)
  }
  return { prices, skipped }
}

/** Builds the port over an `AkeneoClient`. */
export const make: Effect.Effect<Pim.Pim["Type"], never, AkeneoClient.AkeneoClient> = Effect.gen(
  function* () {
    const client = yield* AkeneoClient.AkeneoClient
    const { locale, channel } = client

    const keepSuccesses = (exit: Exit.Exit<unknown, unknown>) =>
      Exit.isSuccess(exit) ? Duration.minutes(10) : Duration.zero

    const models = yield* Cache.makeWith({
      capacity: 10_000,
      lookup: (code: string) =>
        client.get(
          `/api/rest/v1/product-models/${encodeURIComponent(code)}`,
          AkeneoSchema.ProductModel
        ),
      timeToLive: keepSuccesses
    })

    const familyVariants = yield* Cache.makeWith({
      capacity: 1_000,
      lookup: (key: string) => {
        const [family = "", variant = ""] = key.split("/")
        const path = `/api/rest/v1/families/${encodeURIComponent(family)}/variants/${encodeURIComponent(variant)}`
        return client.get(path, AkeneoSchema.FamilyVariant)
      },
      timeToLive: keepSuccesses
    })

    /** The root model of a variant: `root_parent` when Akeneo sent it, else up the parent chain. */
    const rootOf = (product: AkeneoSchema.Product) =>
      Effect.gen(function* () {
        // A product without a parent is simple, whatever `root_parent` says.
        if (product.parent === null) return Option.none()
        let code: string | null = product.root_parent ?? product.parent
        for (let depth = 0; code !== null && depth < 5; depth++) {
          const model: AkeneoSchema.ProductModel = yield* models.get(code)
          if (model.parent === null) return Option.some(model)
          code = model.parent
        }
        if (code === null) return Option.none()
        return yield* new AkeneoClient.AkeneoError({
          reason: "Decode",
          operation: "product-models",
          detail: `parent chain of ${product.uuid} is too deep`
        })
      })

    const axesOf = (root: AkeneoSchema.ProductModel, product: AkeneoSchema.Product) => {
      const family = root.family ?? product.family
      if (family === null || family === undefined) return Effect.succeed([])
      return Effect.map(familyVariants.get(`${family}/${root.family_variant}`), (fv) =>
        fv.variant_attribute_sets.flatMap((set) => set.axes)
      )
    }

    const toProduct = (product: AkeneoSchema.Product) =>
      Effect.gen(function* () {
        const sku = text(pick(product.values, "sku", locale, channel))
        if (sku === undefined) {
          return yield* new AkeneoClient.AkeneoError({
            reason: "Decode",
            operation: "products-uuid",
            detail: `product ${product.uuid} has no sku`
          })
        }
        const root = yield* rootOf(product)
        const axes = Option.isSome(root) ? yield* axesOf(root.value, product) : []
        const rootCode = Option.match(root, { onNone: () => sku, onSome: (m) => m.code })

        const attributes: Record<string, string> = {}
        for (const axis of axes) {
          const value = pick(product.values, axis, locale, channel)
          const shown = value === undefined ? undefined : display(value, locale)
          if (shown !== undefined) attributes[axis] = shown
        }
        const prices = listPrices(pick(product.values, priceAttribute, locale, channel))
        if (prices.skipped.length > 0) {
          yield* Effect.logWarning("Akeneo list prices left out").pipe(
            Effect.annotateLogs({ sku, skipped: prices.skipped.join("; ") })
          )
        }
        const name =
          text(pick(product.values, "name", locale, channel)) ??
          text(pick(product.values, "variation_name", locale, channel)) ??
          text(pick(product.values, "erp_name", locale, channel)) ??
          sku
        const description = text(pick(product.values, "description", locale, channel))

        return yield* Effect.try({
          try: () =>
            new Pim.Product({
              sku: Ids.Sku.make(sku),
              productId: Ids.ProductId.make(rootCode),
              slug: Ids.Slug.make(slugify(rootCode)),
              name,
              ...(description === undefined ? {} : { description }),
              categories: product.categories.map((c) => Ids.CategoryCode.make(c)),
              attributes,
              listPrices: prices.prices,
              enabled: product.enabled,
              ...(product.updated === undefined ? {} : { updatedAt: new Date(product.updated) })
            }),
          catch: (cause) =>
            new AkeneoClient.AkeneoError({
              reason: "Decode",
              operation: "products-uuid",
              detail: `product ${sku}: ${String(cause)}`
            })
        })
      }).pipe(Effect.annotateLogs({ product_uuid: product.uuid }))

    /** Maps a listing, leaving out (with a warning) products that cannot be mapped. */
    const toProducts = (items: ReadonlyArray<AkeneoSchema.Product>) =>
      Effect.forEach(
        items,
        (item) =>
          toProduct(item).pipe(
            Effect.map(Option.some),
            Effect.catchIf(
              (e) => e.reason === "Decode",
              (e) =>
                Effect.as(
                  Effect.logWarning("Akeneo product left out").pipe(
                    Effect.annotateLogs({ uuid: item.uuid, error: e.message })
                  ),
                  Option.none()
                )
            )
          ),
        { concurrency: 4 }
      ).pipe(Effect.map(Arr.getSomes))

    const product = (sku: Ids.Sku) =>
      client
        .page(productsPath, AkeneoSchema.Product, {
          search: { identifier: [{ operator: "IN", value: [sku] }] },
          limit: 10
        })
        .pipe(
          Effect.flatMap(({ items }) => {
            const wanted = sku.toLowerCase()
            const found = items.find(
              (p) => text(pick(p.values, "sku", locale, channel))?.toLowerCase() === wanted
            )
            return found === undefined
              ? Effect.succeed(Option.none())
              : Effect.map(toProduct(found), Option.some)
          }),
          Effect.mapError(toPimError),
          Effect.annotateLogs({ sku }),
          Effect.withSpan("AkeneoPim.product", { attributes: { sku } })
        )

    const products: Pim.Pim["Type"]["products"] = (query) => {
      const limit = Math.min(100, Math.max(1, query.limit ?? client.pageSize))
      const page =
        query.cursor !== undefined
          ? client.page(query.cursor, AkeneoSchema.Product)
          : client.page(productsPath, AkeneoSchema.Product, {
              limit,
              ...(query.category === undefined
                ? {}
                : {
                    search: { categories: [{ operator: "IN CHILDREN", value: [query.category] }] }
                  })
            })
      return page.pipe(
        Effect.flatMap(({ items, next }) =>
          Effect.map(toProducts(items), (mapped): Pim.Page<Pim.Product> => ({
            items: mapped,
            next
          }))
        ),
        Effect.mapError(toPimError),
        Effect.withSpan("AkeneoPim.products")
      )
    }

    const categories = client.all("/api/rest/v1/categories", AkeneoSchema.Category).pipe(
      Effect.flatMap((items) =>
        Effect.try({
          try: () =>
            items.map(
              (c) =>
                new Pim.Category({
                  code: Ids.CategoryCode.make(c.code),
                  ...(c.parent === null ? {} : { parent: Ids.CategoryCode.make(c.parent) }),
                  label: c.labels[locale]?.trim() || c.code
                })
            ),
          catch: (cause) =>
            new AkeneoClient.AkeneoError({
              reason: "Decode",
              operation: "categories",
              detail: String(cause)
            })
        })
      ),
      Effect.mapError(toPimError),
      Effect.withSpan("AkeneoPim.categories")
    )

    const changedSince = (since: Date) =>
      client
        .all(productsPath, AkeneoSchema.Product, {
          // Akeneo compares whole seconds with ">", so one second earlier keeps "at or after".
          search: {
            updated: [{ operator: ">", value: formatDate(new Date(since.getTime() - 1000)) }]
          }
        })
        .pipe(
          Effect.flatMap(toProducts),
          Effect.mapError(toPimError),
          Effect.withSpan("AkeneoPim.changedSince")
        )

    return { product, products, categories, changedSince }
  }
)

/** The port for `settings`, over `fetch`. */
export const layer = (settings: AkeneoClient.AkeneoConfig): Layer.Layer<Pim.Pim> =>
  Layer.effect(Pim.Pim, make).pipe(
    Layer.provide(AkeneoClient.layer(settings)),
    Layer.provide(FetchHttpClient.layer)
  )

/** The port configured by `AKENEO_*`, over `fetch`. */
export const layerConfig: Layer.Layer<Pim.Pim, ConfigError.ConfigError> = Layer.effect(
  Pim.Pim,
  make
).pipe(Layer.provide(AkeneoClient.layerConfig))
