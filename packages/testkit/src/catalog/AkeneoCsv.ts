/**
 * Reads an Akeneo flat CSV export (the `icecat_demo_dev` fixture layout)
 * into a {@link DemoCatalog}.
 *
 * Rules, applied to every variant row (the rows of `products.csv` or
 * `product_variants_extract.csv` whose `parent` is set):
 * - Parent references are matched to model codes case-insensitively.
 * - Values are trimmed; an empty field means "no value".
 * - A value is inherited: the variant's own value wins, else the
 *   sub-model's, else the root model's.
 * - The name is the inherited `name`, else the inherited
 *   `variation_name-en_US`, else the inherited `erp_name-en_US`, else the
 *   SKU. (Every variant of the demo that sets `name` repeats its root's.)
 * - The description is the inherited `description-en_US-ecommerce`.
 * - Attributes are the family variant's axes, each shown as its en_US
 *   option label, options being keyed by (attribute, code); a metric axis
 *   reads "amount unit".
 * - Prices come from the `price-<CURRENCY>` columns, inherited as above.
 *
 * Simple products (no `parent`) are left out: the catalog is about variants.
 *
 * @since 0.1.0
 */
import { parse } from "csv-parse/sync"
import * as Effect from "effect/Effect"
import { readFile, stat } from "node:fs/promises"
import * as path from "node:path"
import {
  CatalogError,
  slugify,
  type DemoAxisValue,
  type DemoCatalog,
  type DemoCategory,
  type DemoFamilyVariant,
  type DemoModel,
  type DemoOption,
  type DemoVariant
} from "./DemoCatalog"

type Row = Readonly<Record<string, string | undefined>>

const locale = "en_US"
const channel = "ecommerce"

const readRows = (dir: string, file: string) => {
  const where = path.join(dir, file)
  return Effect.tryPromise({
    try: () => readFile(where, "utf8"),
    catch: (cause) => new CatalogError({ reason: "Unreadable", path: where, detail: String(cause) })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: (): ReadonlyArray<Row> =>
          parse(text, { delimiter: ";", columns: true, bom: true, skip_empty_lines: true }),
        catch: (cause) =>
          new CatalogError({ reason: "Invalid", path: where, detail: String(cause) })
      })
    )
  )
}

const exists = (file: string) =>
  Effect.promise(() =>
    stat(file).then(
      () => true,
      () => false
    )
  )

/** A field's value: trimmed, `undefined` when empty. */
const value = (row: Row | undefined, column: string): string | undefined => {
  const raw = row?.[column]?.trim()
  return raw === undefined || raw === "" ? undefined : raw
}

/** The first value of `column` along a chain of rows, nearest first. */
const inherited = (chain: ReadonlyArray<Row>, column: string): string | undefined => {
  for (const row of chain) {
    const found = value(row, column)
    if (found !== undefined) return found
  }
  return undefined
}

const list = (raw: string | undefined): Array<string> =>
  raw === undefined
    ? []
    : raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "")

const mergedCategories = (chain: ReadonlyArray<Row>): Array<string> => [
  ...new Set(chain.flatMap((row) => list(value(row, "categories"))))
]

const displayName = (chain: ReadonlyArray<Row>, fallback: string): string =>
  inherited(chain, "name") ??
  inherited(chain, `variation_name-${locale}`) ??
  inherited(chain, `erp_name-${locale}`) ??
  fallback

const currencies = (rows: ReadonlyArray<Row>): Array<string> => {
  const found = new Set<string>()
  for (const row of rows.slice(0, 1)) {
    for (const column of Object.keys(row)) {
      const match = /^price-([A-Z]{3})$/.exec(column)
      if (match?.[1] !== undefined) found.add(match[1])
    }
  }
  return [...found].sort()
}

const optionKey = (attribute: string, code: string) => `${attribute}\u0000${code}`

/** Reads the export in `dir`. */
export const read = (dir: string): Effect.Effect<DemoCatalog, CatalogError> =>
  Effect.gen(function* () {
    if (!(yield* exists(dir))) {
      return yield* new CatalogError({ reason: "Missing", path: dir, detail: "no such folder" })
    }
    const extract = path.join(dir, "product_variants_extract.csv")
    const productsFile = (yield* exists(extract)) ? extract : path.join(dir, "products.csv")

    const [categoryRows, modelRows, productRows, variantRows, optionRows] = yield* Effect.all(
      [
        readRows(dir, "categories.csv"),
        readRows(dir, "product_models.csv"),
        readRows(dir, path.basename(productsFile)),
        readRows(dir, "family_variants.csv"),
        readRows(dir, "attribute_options.csv")
      ],
      { concurrency: "unbounded" }
    )

    const invalid = (file: string, detail: string) =>
      new CatalogError({ reason: "Invalid", path: path.join(dir, file), detail })

    const options: Array<DemoOption> = optionRows.flatMap((row) => {
      const attribute = value(row, "attribute")
      const code = value(row, "code")
      if (attribute === undefined || code === undefined) return []
      return [{ attribute, code, label: value(row, `label-${locale}`) ?? code }]
    })
    const optionLabels = new Map(options.map((o) => [optionKey(o.attribute, o.code), o.label]))
    const optionLabelsLower = new Map(
      options.map((o) => [optionKey(o.attribute, o.code.toLowerCase()), o.label])
    )

    const familyVariants: Array<DemoFamilyVariant> = variantRows.flatMap((row) => {
      const code = value(row, "code")
      if (code === undefined) return []
      const axes = [list(value(row, "variant-axes_1")), list(value(row, "variant-axes_2"))]
      return [{ code, family: value(row, "family") ?? "", axes: axes.filter((a) => a.length) }]
    })
    const familyOf = new Map(familyVariants.map((fv) => [fv.code, fv]))

    const categories: Array<DemoCategory> = categoryRows.flatMap((row) => {
      const code = value(row, "code")
      if (code === undefined) return []
      const parent = value(row, "parent")
      const label = value(row, `label-${locale}`) ?? code
      return [parent === undefined ? { code, label } : { code, parent, label }]
    })

    const modelsByKey = new Map<string, Row>()
    for (const row of modelRows) {
      const code = value(row, "code")
      if (code === undefined) return yield* invalid("product_models.csv", "a model has no code")
      modelsByKey.set(code.toLowerCase(), row)
    }

    /** The model chain above a parent reference, nearest first. */
    const chainOf = (file: string, reference: string) =>
      Effect.gen(function* () {
        const chain: Array<Row> = []
        let next: string | undefined = reference
        while (next !== undefined) {
          const row = modelsByKey.get(next.toLowerCase())
          if (row === undefined) return yield* invalid(file, `unknown parent model "${next}"`)
          if (chain.includes(row) || chain.length > 4) {
            return yield* invalid(file, `parent chain loops at "${next}"`)
          }
          chain.push(row)
          next = value(row, "parent")
        }
        return chain
      })

    const models: Array<DemoModel> = []
    for (const row of modelRows) {
      const code = value(row, "code") ?? ""
      const chain = yield* chainOf("product_models.csv", code)
      const parent = value(chain[1], "code")
      const familyVariant = inherited(chain, "family_variant") ?? ""
      const family = familyOf.get(familyVariant)?.family
      const description = inherited(chain, `description-${locale}-${channel}`)
      models.push({
        code,
        ...(parent === undefined ? {} : { parent }),
        ...(family === undefined ? {} : { family }),
        familyVariant,
        name: displayName(chain, code),
        ...(description === undefined ? {} : { description }),
        categories: mergedCategories(chain)
      })
    }

    const file = path.basename(productsFile)
    const priced = currencies([...productRows.slice(0, 1), ...modelRows.slice(0, 1)])
    const variants: Array<DemoVariant> = []
    for (const row of productRows) {
      const parentRef = value(row, "parent")
      if (parentRef === undefined) continue
      const sku = value(row, "sku")
      if (sku === undefined) return yield* invalid(file, "a product has no sku")
      const models = yield* chainOf(file, parentRef)
      const chain = [row, ...models]
      const root = models[models.length - 1]
      const rootModel = value(root, "code") ?? parentRef
      const familyVariant = value(root, "family_variant") ?? ""
      const axisAttributes = familyOf.get(familyVariant)?.axes.flat() ?? []

      const axes: Array<DemoAxisValue> = axisAttributes.flatMap((attribute) => {
        const data = inherited(chain, attribute)
        if (data === undefined) return []
        const unit = inherited(chain, `${attribute}-unit`)
        if (unit !== undefined) return [{ attribute, data, unit, label: `${data} ${unit}` }]
        const label =
          optionLabels.get(optionKey(attribute, data)) ??
          optionLabelsLower.get(optionKey(attribute, data.toLowerCase())) ??
          data
        return [{ attribute, data, label }]
      })

      const prices: Record<string, string> = {}
      for (const currency of priced) {
        const amount = inherited(chain, `price-${currency}`)
        if (amount !== undefined) prices[currency] = amount
      }

      const description = inherited(chain, `description-${locale}-${channel}`)
      const ean = value(row, "ean")
      variants.push({
        sku,
        rootModel,
        parent: value(models[0], "code") ?? rootModel,
        slug: slugify(rootModel),
        name: displayName(chain, sku),
        ...(description === undefined ? {} : { description }),
        categories: mergedCategories(chain),
        attributes: Object.fromEntries(axes.map((axis) => [axis.attribute, axis.label])),
        axes,
        prices,
        enabled: value(row, "enabled") !== "0",
        ...(ean === undefined ? {} : { ean })
      })
    }

    return { categories, models, variants, options, familyVariants }
  }).pipe(Effect.withSpan("AkeneoCsv.read", { attributes: { dir } }))
