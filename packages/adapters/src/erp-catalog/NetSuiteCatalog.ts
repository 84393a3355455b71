/**
 * The `Pim` port on NetSuite's item records, for stores that serve their
 * catalog from the ERP until they have a PIM.
 *
 * Items are read with SuiteQL through {@link NetSuiteClient}:
 * - `itemid` is the SKU; `displayname` the name (the SKU when empty);
 *   `salesdescription` the description; `isinactive` "T" disables it.
 * - A matrix child belongs to its parent item: the parent's `itemid` is the
 *   product id and, lower-cased with each run of other characters turned
 *   into "-", the slug. Any other item is its own product. Matrix parents
 *   themselves are not sold, so they are not listed.
 * - The category is the item's class (`classification`), by internal id;
 *   `categories` is the class tree, and a category filter takes in the
 *   classes below it.
 * - `products` pages by SKU: the cursor is the last SKU of the page before.
 *   Full listings (`changedSince`, `categories`) follow SuiteQL's pages.
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
import * as NetSuiteClient from "../netsuite/NetSuiteClient"
import * as Items from "./internal/Items"

/** What the catalog needs beyond the client. */
export interface Options {
  /** Rows per SuiteQL page of a full listing; 1000 (NetSuite's most) unless told. */
  readonly pageSize?: number | undefined
}

const optionalStr = Schema.optional(Schema.String)

/** An item row of our SuiteQL query; values arrive as strings, null columns are left out. */
export const ItemRow = Schema.Struct({
  id: Schema.String,
  sku: Schema.String,
  name: optionalStr,
  description: optionalStr,
  category: optionalStr,
  parent: optionalStr,
  isinactive: optionalStr,
  updated: optionalStr
})

/** A class row. */
export const ClassRow = Schema.Struct({
  id: Schema.String,
  name: optionalStr,
  parent: optionalStr
})

const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`
const inList = (values: ReadonlyArray<string>): string => values.map(literal).join(", ")

/** SuiteQL's `YYYY-MM-DD HH24:MI:SS`. */
const timestampFormat = "YYYY-MM-DD HH24:MI:SS"

// TODO(netsuite-timezone): shift by the account's time zone when it is not UTC.
const formatTime = (date: Date): string => date.toISOString().slice(0, 19).replace("T", " ")

/** Filters of the item query; each is left out when absent. */
export interface ItemFilter {
  readonly skus?: ReadonlyArray<string>
  readonly classes?: ReadonlyArray<string>
  /** Only SKUs after this one. */
  readonly after?: string
  readonly changedSince?: Date
  /** At most this many rows. */
  readonly rows?: number
}

/** The SuiteQL query for sellable items, in SKU order. */
export const itemQuery = (filter: ItemFilter): string => {
  const query = [
    "SELECT item.id AS id, item.itemid AS sku, item.displayname AS name,",
    "item.salesdescription AS description, item.class AS category,",
    "parent.itemid AS parent, item.isinactive AS isinactive,",
    `TO_CHAR(item.lastmodifieddate, '${timestampFormat}') AS updated`,
    "FROM item LEFT OUTER JOIN item parent ON parent.id = item.parent",
    "WHERE (item.matrixtype IS NULL OR item.matrixtype <> 'PARENT')",
    ...(filter.skus === undefined ? [] : [`AND item.itemid IN (${inList(filter.skus)})`]),
    ...(filter.classes === undefined ? [] : [`AND item.class IN (${inList(filter.classes)})`]),
    ...(filter.after === undefined ? [] : [`AND item.itemid > ${literal(filter.after)}`]),
    ...(filter.changedSince === undefined
      ? []
      : [
          "AND item.lastmodifieddate >= " +
            `TO_TIMESTAMP(${literal(formatTime(filter.changedSince))}, '${timestampFormat}')`
        ]),
    "ORDER BY item.itemid"
  ].join(" ")
  return filter.rows === undefined
    ? query
    : `SELECT * FROM (${query}) WHERE ROWNUM <= ${filter.rows}`
}

/** The SuiteQL query for the active classes. */
export const classQuery =
  "SELECT id, name, parent FROM classification WHERE isinactive = 'F' ORDER BY id"

const timePattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** Reads the `updated` column; absent is none, anything but the asked format is an error. */
const updatedAt = (value: string | undefined): Either.Either<Date | undefined, string> => {
  if (value === undefined) return Either.right(undefined)
  const date = new Date(`${value.replace(" ", "T")}Z`)
  return timePattern.test(value) && !Number.isNaN(date.getTime())
    ? Either.right(date)
    : Either.left(`unreadable lastmodifieddate ${value}`)
}

/** Reads a row into plain item values; `isinactive` is "T" or "F" and nothing else. */
export const toItem = (row: typeof ItemRow.Type): Either.Either<Items.Item, string> =>
  Either.gen(function* () {
    const inactive = row.isinactive ?? "F"
    if (inactive !== "T" && inactive !== "F") {
      return yield* Either.left(`item ${row.sku}: isinactive is ${JSON.stringify(inactive)}`)
    }
    const updated = yield* Either.mapLeft(updatedAt(row.updated), (e) => `item ${row.sku}: ${e}`)
    return {
      sku: row.sku,
      model: row.parent,
      name: row.name,
      description: row.description,
      category: row.category,
      enabled: inactive === "F",
      updatedAt: updated
    }
  })

/** Builds the port over a {@link NetSuiteClient.NetSuiteClient}. */
export const make = (
  options: Options = {}
): Effect.Effect<Pim.Pim["Type"], never, NetSuiteClient.NetSuiteClient> =>
  Effect.gen(function* () {
    const client = yield* NetSuiteClient.NetSuiteClient
    const pageSize = options.pageSize ?? 1000

    const items = (operation: string, filter: ItemFilter) =>
      client
        .suiteql(operation, itemQuery(filter), ItemRow, {
          pageSize: Math.min(1000, filter.rows ?? pageSize)
        })
        .pipe(Effect.mapError(Items.toPimError))

    const categories = client.suiteql("Pim.categories", classQuery, ClassRow, { pageSize }).pipe(
      Effect.map((rows) =>
        rows.flatMap((row) => {
          const code = Schema.decodeUnknownOption(Ids.CategoryCode)(row.id)
          const parent = Option.flatMap(Option.fromNullable(row.parent), (p) =>
            Schema.decodeUnknownOption(Ids.CategoryCode)(p)
          )
          if (Option.isNone(code)) return []
          return [
            new Pim.Category({
              code: code.value,
              ...(Option.isSome(parent) ? { parent: parent.value } : {}),
              label: row.name?.trim() || row.id
            })
          ]
        })
      ),
      Effect.mapError(Items.toPimError),
      Effect.withSpan("NetSuiteCatalog.categories")
    )

    const product: Pim.Pim["Type"]["product"] = (sku) =>
      items("Pim.product", { skus: [sku] }).pipe(
        Effect.flatMap((rows) =>
          Items.toOne("Pim.product", Option.map(Option.fromNullable(rows[0]), toItem))
        ),
        Effect.annotateLogs({ sku }),
        Effect.withSpan("NetSuiteCatalog.product", { attributes: { sku } })
      )

    const products: Pim.Pim["Type"]["products"] = (query) =>
      Effect.gen(function* () {
        const limit = Items.limitOf(query.limit)
        const classes =
          query.category === undefined
            ? undefined
            : Items.descendants(yield* categories, query.category)
        const rows = yield* items("Pim.products", {
          ...(classes === undefined ? {} : { classes }),
          ...(query.cursor === undefined ? {} : { after: query.cursor }),
          rows: limit + 1
        })

        const page = rows.slice(0, limit)
        const last = page[page.length - 1]
        const next =
          rows.length > limit && last !== undefined ? Option.some(last.sku) : Option.none()
        return { items: yield* Items.toProducts("netsuite", page.map(toItem)), next }
      }).pipe(Effect.withSpan("NetSuiteCatalog.products"))

    const changedSince: Pim.Pim["Type"]["changedSince"] = (since) =>
      items("Pim.changedSince", { changedSince: since }).pipe(
        Effect.flatMap((rows) => Items.toProducts("netsuite", rows.map(toItem))),
        Effect.withSpan("NetSuiteCatalog.changedSince")
      )

    return Pim.Pim.of({ product, products, categories, changedSince })
  })

/** The port on a client provided separately (share the ERP's client, or swap it in tests). */
export const layerClient = (
  options: Options = {}
): Layer.Layer<Pim.Pim, never, NetSuiteClient.NetSuiteClient> =>
  Layer.effect(Pim.Pim, make(options))

/** The port on NetSuite over `fetch`, with settings given in code. */
export const layer = (settings: NetSuiteClient.Settings & Options): Layer.Layer<Pim.Pim> =>
  layerClient(settings).pipe(
    Layer.provide(NetSuiteClient.layer(settings)),
    Layer.provide(FetchHttpClient.layer)
  )

/** Options from `NETSUITE_CATALOG_*` configuration. */
export const optionsConfig: Config.Config<Options> = Config.all({
  pageSize: Config.integer("NETSUITE_CATALOG_PAGE_SIZE").pipe(Config.withDefault(1000))
})

/**
 * The port on NetSuite over `fetch`, configured from `NETSUITE_*`.
 *
 * TODO(netsuite-shared-client): share one client with `NetSuiteErp` when both are wired,
 * so that one semaphore keeps the account's concurrency cap.
 */
export const layerConfig: Layer.Layer<Pim.Pim, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(optionsConfig, layerClient)
).pipe(Layer.provide(NetSuiteClient.layerConfig), Layer.provide(FetchHttpClient.layer))
