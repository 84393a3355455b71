/**
 * A PIM held in memory: the products it is given, paged by an offset cursor.
 *
 * @since 0.1.0
 */
import { Ids, Pim } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/** Replaces the memory PIM's products. */
export class MemoryPimControl extends Context.Tag("@mercantile/testkit/MemoryPimControl")<
  MemoryPimControl,
  {
    /** Adds a product, or replaces the one with the same SKU. */
    readonly upsert: (product: Pim.Product) => Effect.Effect<void>
  }
>() {}

const defaultLimit = 20

/** Builds the PIM and its control; categories default to those the products name. */
export const make = (
  products: ReadonlyArray<Pim.Product>,
  categories?: ReadonlyArray<Pim.Category>
) =>
  Effect.sync(() => {
    const bySku = new Map(products.map((p) => [p.sku, p]))
    const tree =
      categories ??
      [...new Set(products.flatMap((p) => p.categories))].map(
        (code) => new Pim.Category({ code, label: code })
      )
    const parents = new Map(tree.map((c) => [c.code, c.parent]))

    const within = (code: Ids.CategoryCode, ancestor: Ids.CategoryCode): boolean => {
      const seen = new Set<Ids.CategoryCode>()
      for (let at: Ids.CategoryCode | undefined = code; at !== undefined; at = parents.get(at)) {
        if (at === ancestor) return true
        if (seen.has(at)) return false
        seen.add(at)
      }
      return false
    }

    const products_: Context.Tag.Service<Pim.Pim>["products"] = (query) =>
      Effect.suspend(() => {
        const offset = query.cursor === undefined ? 0 : Number(query.cursor)
        if (!Number.isSafeInteger(offset) || offset < 0) {
          return Effect.fail(
            new Pim.PimError({
              reason: "Decode",
              operation: "products",
              detail: `bad cursor ${query.cursor}`
            })
          )
        }
        const limit = query.limit ?? defaultLimit
        const { category } = query
        const all = [...bySku.values()].filter(
          (p) => category === undefined || p.categories.some((c) => within(c, category))
        )
        const items = all.slice(offset, offset + limit)
        const next =
          offset + limit < all.length ? Option.some(String(offset + limit)) : Option.none()
        return Effect.succeed({ items, next })
      }).pipe(Effect.withSpan("MemoryPim.products"))

    return {
      pim: Pim.Pim.of({
        product: (sku) => Effect.sync(() => Option.fromNullable(bySku.get(sku))),
        products: products_,
        categories: Effect.sync(() => tree),
        changedSince: (since) =>
          Effect.sync(() =>
            [...bySku.values()].filter(
              (p) => p.updatedAt !== undefined && p.updatedAt.getTime() >= since.getTime()
            )
          )
      }),
      control: MemoryPimControl.of({
        upsert: (product) =>
          Effect.sync(() => {
            bySku.set(product.sku, product)
          })
      })
    }
  })

/** The PIM port and {@link MemoryPimControl}, holding `products`. */
export const layer = (
  products: ReadonlyArray<Pim.Product>,
  categories?: ReadonlyArray<Pim.Category>
): Layer.Layer<Pim.Pim | MemoryPimControl> =>
  Layer.effectContext(
    Effect.map(make(products, categories), (s) =>
      Context.make(Pim.Pim, s.pim).pipe(Context.add(MemoryPimControl, s.control))
    )
  )
