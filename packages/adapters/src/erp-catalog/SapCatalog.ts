/**
 * The `Pim` port on SAP S/4HANA's product master, for stores that serve
 * their catalog from the ERP until they have a PIM.
 *
 * Products are read from `API_PRODUCT_SRV` through {@link SapClient}:
 * - `A_Product.Product` is the SKU; the name is the `to_Description` text
 *   in the configured language, else any text, else the SKU.
 * - A variant belongs to its configurable product
 *   (`CrossPlantConfigurableProduct`): that is the product id and,
 *   lower-cased with each run of other characters turned into "-", the
 *   slug. Any other product is its own.
 * - The category is the product group (`ProductGroup`); `categories` are
 *   the groups' texts from `API_PRODUCTGROUP_SRV`, a flat list.
 * - `IsMarkedForDeletion` disables a product.
 * - `products` pages with `$skip` / `$top` (the cursor is the offset, in
 *   `Product` order); every read follows `__next`.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Ids, Pim } from "@mercantile/domain"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as OData from "../sap/OData"
import * as SapClient from "../sap/SapClient"
import * as SapErp from "../sap/SapErp"
import * as Items from "./internal/Items"

/** What the catalog needs beyond the client. */
export interface Options {
  /** The language of names and group texts (SAP's two-letter key); "EN" unless told. */
  readonly language?: string | undefined
}

/** One `to_Description` entry. */
export const Description = Schema.Struct({
  Language: Schema.String,
  ProductDescription: Schema.String
})

/** The `A_Product` fields the catalog reads. */
export const ProductRow = Schema.Struct({
  Product: Schema.String,
  ProductGroup: Schema.optional(Schema.String),
  CrossPlantConfigurableProduct: Schema.optional(Schema.String),
  IsMarkedForDeletion: Schema.optional(Schema.Boolean),
  LastChangeDateTime: Schema.optional(Schema.NullOr(OData.ODataDate)),
  to_Description: Schema.optional(OData.ToMany(Description))
})

/** One `A_ProductGroupText`. */
export const GroupTextRow = Schema.Struct({
  MaterialGroup: Schema.String,
  Language: Schema.String,
  MaterialGroupName: Schema.optional(Schema.String),
  MaterialGroupText: Schema.optional(Schema.String)
})

const productService = "API_PRODUCT_SRV"
const groupService = "API_PRODUCTGROUP_SRV"

const select = [
  "Product",
  "ProductGroup",
  "CrossPlantConfigurableProduct",
  "IsMarkedForDeletion",
  "LastChangeDateTime",
  "to_Description"
].join(",")

/** The `A_Product` path for a filter and a window, in `Product` order. */
export const productPath = (params: {
  readonly filter?: string
  readonly skip?: number
  readonly top?: number
}): string =>
  "A_Product?" +
  Object.entries({
    $select: select,
    $expand: "to_Description",
    $orderby: "Product",
    ...(params.filter === undefined ? {} : { $filter: params.filter }),
    ...(params.skip === undefined ? {} : { $skip: String(params.skip) }),
    ...(params.top === undefined ? {} : { $top: String(params.top) })
  })
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join("&")

const datetimeoffset = (at: Date) => `datetimeoffset'${at.toISOString().slice(0, 19)}Z'`

/** Reads a row into plain item values; the name in `language`, else any. */
export const toItem = (row: typeof ProductRow.Type, language: string): Items.Item => {
  const texts =
    row.to_Description !== undefined && "results" in row.to_Description
      ? row.to_Description.results
      : []
  const named = (d: typeof Description.Type) => d.ProductDescription.trim() !== ""
  const name =
    texts.find((d) => d.Language.toUpperCase() === language && named(d)) ?? texts.find(named)
  return {
    sku: row.Product,
    model: row.CrossPlantConfigurableProduct,
    name: name?.ProductDescription,
    description: undefined,
    category: row.ProductGroup,
    enabled: row.IsMarkedForDeletion !== true,
    updatedAt: row.LastChangeDateTime ?? undefined
  }
}

/** Builds the port over a {@link SapClient.SapClient}. */
export const make = (
  options: Options = {}
): Effect.Effect<Pim.Pim["Type"], never, SapClient.SapClient> =>
  Effect.gen(function* () {
    const client = yield* SapClient.SapClient
    const language = (options.language ?? "EN").toUpperCase()

    const rows = (path: string) =>
      client.getAll(productService, path, ProductRow).pipe(Effect.mapError(Items.toPimError))

    const product: Pim.Pim["Type"]["product"] = (sku) =>
      rows(productPath({ filter: `Product eq ${OData.literal(sku)}` })).pipe(
        Effect.flatMap((found) =>
          Items.toOne(
            "Pim.product",
            Option.map(Option.fromNullable(found.find((row) => row.Product === sku)), (row) =>
              Either.right(toItem(row, language))
            )
          )
        ),
        Effect.annotateLogs({ sku }),
        Effect.withSpan("SapCatalog.product", { attributes: { sku } })
      )

    const products: Pim.Pim["Type"]["products"] = (query) =>
      Effect.gen(function* () {
        const limit = Items.limitOf(query.limit)
        const skip = query.cursor === undefined ? 0 : Number(query.cursor)
        if (!Number.isSafeInteger(skip) || skip < 0) {
          return yield* new Pim.PimError({
            reason: "Decode",
            operation: "Pim.products",
            detail: `not a cursor of this catalog: ${query.cursor}`
          })
        }
        const found = yield* rows(
          productPath({
            ...(query.category === undefined
              ? {}
              : { filter: `ProductGroup eq ${OData.literal(query.category)}` }),
            skip,
            top: limit + 1
          })
        )

        const page = found.slice(0, limit).map((row) => Either.right(toItem(row, language)))
        const next = found.length > limit ? Option.some(String(skip + limit)) : Option.none()
        return { items: yield* Items.toProducts("sap", page), next }
      }).pipe(Effect.withSpan("SapCatalog.products"))

    const categories = client
      .getAll(
        groupService,
        `A_ProductGroupText?$filter=${encodeURIComponent(`Language eq ${OData.literal(language)}`)}`,
        GroupTextRow
      )
      .pipe(
        Effect.map((texts) =>
          texts.flatMap((text) =>
            Option.match(Schema.decodeUnknownOption(Ids.CategoryCode)(text.MaterialGroup), {
              onNone: () => [],
              onSome: (code) => [
                new Pim.Category({
                  code,
                  label:
                    text.MaterialGroupText?.trim() ||
                    text.MaterialGroupName?.trim() ||
                    text.MaterialGroup
                })
              ]
            })
          )
        ),
        Effect.mapError(Items.toPimError),
        Effect.withSpan("SapCatalog.categories")
      )

    const changedSince: Pim.Pim["Type"]["changedSince"] = (since) =>
      rows(productPath({ filter: `LastChangeDateTime ge ${datetimeoffset(since)}` })).pipe(
        // Whole seconds on the wire; the exact instant is kept here.
        Effect.map((found) =>
          found
            .filter((row) => (row.LastChangeDateTime?.getTime() ?? -Infinity) >= since.getTime())
            .map((row) => Either.right(toItem(row, language)))
        ),
        Effect.flatMap((items) => Items.toProducts("sap", items)),
        Effect.withSpan("SapCatalog.changedSince")
      )

    return Pim.Pim.of({ product, products, categories, changedSince })
  })

/** The port on a client provided separately (share the ERP's client, or swap it in tests). */
export const layerClient = (
  options: Options = {}
): Layer.Layer<Pim.Pim, never, SapClient.SapClient> => Layer.effect(Pim.Pim, make(options))

/** The port on SAP over `fetch`, with settings given in code. */
export const layer = (settings: SapClient.Options & Options): Layer.Layer<Pim.Pim> =>
  layerClient(settings).pipe(
    Layer.provide(SapClient.layer(settings)),
    Layer.provide(FetchHttpClient.layer)
  )

/** The client settings of `SAP_*` (as the ERP reads them) and `SAP_CATALOG_LANGUAGE`. */
export const config: Config.Config<SapClient.Options & Options> = Config.all({
  erp: SapErp.config,
  language: Config.string("SAP_CATALOG_LANGUAGE").pipe(Config.withDefault("EN"))
}).pipe(
  Config.map(({ erp, language }) => ({
    baseUrl: erp.baseUrl,
    auth: erp.auth,
    ...(erp.timeout === undefined ? {} : { timeout: erp.timeout }),
    language
  }))
)

/** The port on SAP over `fetch`, configured from `SAP_*`. */
export const layerConfig: Layer.Layer<Pim.Pim, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(config, layer)
)
