/**
 * What the ERP catalogs share: an ERP item as plain values, its mapping to
 * a `Pim.Product`, and the paging bounds.
 *
 * @internal
 */
import { Ids, Pim } from "@mercantile/domain"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/** An ERP item, read out of the vendor's shape. */
export interface Item {
  readonly sku: string
  /** The model the item is a variant of (matrix parent, configurable product), if any. */
  readonly model: string | undefined
  readonly name: string | undefined
  readonly description: string | undefined
  readonly category: string | undefined
  readonly enabled: boolean
  readonly updatedAt: Date | undefined
}

/** Products per page when the caller does not say. */
export const defaultLimit = 50

/** The most products one page holds. */
export const maxLimit = 500

/** The page size asked for, within bounds. */
export const limitOf = (limit: number | undefined): number =>
  Math.min(maxLimit, Math.max(1, Math.floor(limit ?? defaultLimit)))

/** Lower-cases a code and turns each run of other characters into "-". */
export const slugify = (code: string): string =>
  code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")

const decodeSku = Schema.decodeUnknownEither(Ids.Sku)
const decodeSlug = Schema.decodeUnknownEither(Ids.Slug)
const decodeProductId = Schema.decodeUnknownEither(Ids.ProductId)
const decodeCategory = Schema.decodeUnknownEither(Ids.CategoryCode)

const text = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

/**
 * The product an item is: its model (or itself) names the product and its
 * slug. A model code that is not a valid product id ("Tee Shirt (2024)") is
 * identified by its slug instead.
 */
export const toProduct = (item: Item): Either.Either<Pim.Product, string> =>
  Either.gen(function* () {
    const sku = yield* Either.mapLeft(decodeSku(item.sku), () => `item ${item.sku}: not a SKU`)
    const model = text(item.model) ?? item.sku
    const slug = yield* Either.mapLeft(
      decodeSlug(slugify(model)),
      () => `item ${item.sku}: no slug can be made of ${JSON.stringify(model)}`
    )
    const productId = Either.getOrElse(decodeProductId(model), () => Ids.ProductId.make(slug))
    const category = text(item.category)
    const categories =
      category === undefined
        ? []
        : [yield* Either.mapLeft(decodeCategory(category), () => `item ${item.sku}: bad category`)]
    const description = text(item.description)
    return new Pim.Product({
      sku,
      productId,
      slug,
      name: text(item.name) ?? item.sku,
      ...(description === undefined ? {} : { description }),
      categories,
      attributes: {},
      listPrices: [],
      enabled: item.enabled,
      ...(item.updatedAt === undefined ? {} : { updatedAt: item.updatedAt })
    })
  })

/** Maps a listing, leaving out with a warning the items that cannot be products. */
export const toProducts = (
  vendor: string,
  items: ReadonlyArray<Either.Either<Item, string>>
): Effect.Effect<Array<Pim.Product>> =>
  Effect.forEach(items, (item) =>
    Either.match(Either.flatMap(item, toProduct), {
      onLeft: (reason) =>
        Effect.as(
          Effect.logWarning("ERP item left out of the catalog").pipe(
            Effect.annotateLogs({ vendor, reason })
          ),
          Option.none<Pim.Product>()
        ),
      onRight: (product) => Effect.succeed(Option.some(product))
    })
  ).pipe(Effect.map(Arr.getSomes))

/** The one product of a lookup; an item that cannot be a product is a Decode error. */
export const toOne = (
  operation: string,
  item: Option.Option<Either.Either<Item, string>>
): Effect.Effect<Option.Option<Pim.Product>, Pim.PimError> =>
  Option.match(item, {
    onNone: () => Effect.succeedNone,
    onSome: (found) =>
      Either.match(Either.flatMap(found, toProduct), {
        onLeft: (detail) => Effect.fail(new Pim.PimError({ reason: "Decode", operation, detail })),
        onRight: (product) => Effect.succeed(Option.some(product))
      })
  })

/** The port's error for an ERP client's error: what a PIM reader can act on, else Unavailable. */
export const toPimError = (error: {
  readonly reason: string
  readonly operation: string
  readonly message: string
}): Pim.PimError =>
  new Pim.PimError({
    reason:
      error.reason === "Unauthorized" || error.reason === "RateLimited" || error.reason === "Decode"
        ? error.reason
        : "Unavailable",
    operation: error.operation,
    detail: error.message
  })

/** The codes of `root` and every category below it. */
export const descendants = (
  tree: ReadonlyArray<Pim.Category>,
  root: Ids.CategoryCode
): Array<Ids.CategoryCode> => {
  const children = new Map<string, Array<Ids.CategoryCode>>()
  for (const category of tree) {
    if (category.parent === undefined) continue
    children.set(category.parent, [...(children.get(category.parent) ?? []), category.code])
  }
  const found = new Set<Ids.CategoryCode>([root])
  const queue = [root]
  for (let at = queue.pop(); at !== undefined; at = queue.pop()) {
    for (const child of children.get(at) ?? []) {
      if (found.has(child)) continue
      found.add(child)
      queue.push(child)
    }
  }
  return [...found]
}
