/**
 * The contract both ERP catalogs pass: the same tests against the NetSuite
 * and the SAP catalog, each through its vendor fake.
 *
 * The suite seeds items through a small {@link CatalogControl}; categories
 * are named by the labels of {@link categoryLabels}, which each fake files
 * in its own way (a NetSuite class, an SAP product group).
 */
import { expect, layer } from "@effect/vitest"
import { Ids, Pim } from "@mercantile/domain"
import type { NetSuiteFake, SapFake } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/** The category labels the suite files items under, one per test that needs its own. */
export const categoryLabels = {
  paged: "Paged Goods",
  chairs: "Chairs",
  lamps: "Desk Lamps"
} as const

/** One ERP item as the suite seeds it. */
export interface CatalogSeedItem {
  readonly sku: string
  readonly name: string
  /** A label of {@link categoryLabels}. */
  readonly category?: string
  /** The model this item is a variant of. */
  readonly model?: string
  readonly enabled?: boolean
  readonly updatedAt?: Date
}

/** How the suite moves the ERP under test. */
export interface CatalogControl {
  /** Adds items, replacing those with the same SKU. */
  readonly seed: (items: ReadonlyArray<CatalogSeedItem>) => Effect.Effect<void>
}

/** What the suite needs of a vendor fake: seeding, and the requests it has seen. */
export interface Fake {
  readonly seed: (items: ReadonlyArray<NetSuiteFake.SeedItem & SapFake.SeedItem>) => void
  readonly requests: () => ReadonlyArray<{ readonly path: string }>
}

/** Seeds `fake`, priceless and out of stock, filing a category label under `categoryOf(label)`. */
export const fakeControl = (
  fake: Fake,
  categoryOf: (label: string) => string = (label) => label
): CatalogControl => ({
  seed: (items) =>
    Effect.sync(() =>
      fake.seed(
        items.map((item) => ({
          sku: item.sku,
          name: item.name,
          prices: {},
          stock: [],
          ...(item.category === undefined ? {} : { category: categoryOf(item.category) }),
          ...(item.model === undefined ? {} : { parent: item.model }),
          ...(item.enabled === false ? { inactive: true } : {}),
          ...(item.updatedAt === undefined ? {} : { updatedAt: item.updatedAt })
        }))
      )
    )
})

/** The requests `fake` has seen since its `from`-th whose path ends with `suffix`. */
export const requestsTo = (fake: Fake, suffix: string, from = 0): number =>
  fake
    .requests()
    .slice(from)
    .filter((r) => r.path.endsWith(suffix)).length

let counter = 0
const unique = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36).toUpperCase()}-${++counter}`

/** Every product of a listing, page by page; fails past `maxPages`. */
export const walk = (
  pim: Pim.Pim["Type"],
  query: { readonly category?: Ids.CategoryCode; readonly limit: number },
  maxPages = 100
) =>
  Effect.gen(function* () {
    const pages: Array<ReadonlyArray<Pim.Product>> = []
    let cursor: string | undefined
    do {
      const page = yield* pim.products({ ...query, ...(cursor === undefined ? {} : { cursor }) })
      pages.push(page.items)
      cursor = Option.getOrUndefined(page.next)
      if (pages.length > maxPages) throw new Error(`more than ${maxPages} pages`)
    } while (cursor !== undefined)
    return pages
  })

const codeOf = (tree: ReadonlyArray<Pim.Category>, label: string) => {
  const found = tree.find((c) => c.label === label)
  if (found === undefined) throw new Error(`no category labelled ${label}`)
  return found.code
}

/** Registers the catalog contract for one ERP catalog. */
export const catalogContract = <E>(
  name: string,
  catalog: Layer.Layer<Pim.Pim, E>,
  control: CatalogControl
): void => {
  layer(catalog, { excludeTestServices: true, timeout: "60 seconds" })(
    `catalog contract: ${name}`,
    (it) => {
      it.effect("a SKU's product: name, model, slug, category, state", () =>
        Effect.gen(function* () {
          const [variant, single, retired] = [unique("VAR"), unique("ONE"), unique("OLD")]
          yield* control.seed([
            {
              sku: variant,
              name: "Oak desk, 160 cm",
              model: "Desk.Frame_Oak:2",
              category: categoryLabels.chairs
            },
            { sku: single, name: "Footrest" },
            { sku: retired, name: "Retired stool", enabled: false }
          ])
          const pim = yield* Pim.Pim

          const a = Option.getOrThrow(yield* pim.product(Ids.Sku.make(variant)))
          const b = Option.getOrThrow(yield* pim.product(Ids.Sku.make(single)))
          const c = Option.getOrThrow(yield* pim.product(Ids.Sku.make(retired)))
          const tree = yield* pim.categories

          expect([a.sku, a.name, a.productId, a.slug]).toEqual([
            variant,
            "Oak desk, 160 cm",
            "Desk.Frame_Oak:2",
            "desk-frame-oak-2"
          ])
          expect(a.categories).toEqual([codeOf(tree, categoryLabels.chairs)])
          expect([b.productId, b.slug, b.categories]).toEqual([single, single.toLowerCase(), []])
          expect([a.enabled, b.enabled, c.enabled]).toEqual([true, true, false])
        })
      )

      it.effect("an unknown SKU is none", () =>
        Effect.gen(function* () {
          const pim = yield* Pim.Pim
          expect(yield* pim.product(Ids.Sku.make(unique("GHOST")))).toEqual(Option.none())
        })
      )

      it.effect("a category pages over every product once, in SKU order", () =>
        Effect.gen(function* () {
          const skus = ["E", "A", "D", "B", "C"].map((x) => `PAGED-${x}`)
          yield* control.seed(
            skus.map((sku) => ({ sku, name: `Paged ${sku}`, category: categoryLabels.paged }))
          )
          const pim = yield* Pim.Pim
          const code = codeOf(yield* pim.categories, categoryLabels.paged)

          const pages = yield* walk(pim, { category: code, limit: 2 })

          expect(pages.map((p) => p.map((x) => x.sku))).toEqual([
            ["PAGED-A", "PAGED-B"],
            ["PAGED-C", "PAGED-D"],
            ["PAGED-E"]
          ])
          expect(pages.flat().every((p) => p.categories.includes(code))).toBe(true)
        })
      )

      it.effect("the whole catalog pages without repeating a product", () =>
        Effect.gen(function* () {
          const mine = [unique("ALL"), unique("ALL"), unique("ALL"), unique("ALL")]
          yield* control.seed(mine.map((sku) => ({ sku, name: sku })))
          const pim = yield* Pim.Pim

          const pages = yield* walk(pim, { limit: 3 })
          const seen = pages.flat().map((p) => p.sku)

          expect(pages.length).toBeGreaterThan(1)
          expect(pages.every((p) => p.length <= 3)).toBe(true)
          expect(new Set(seen).size).toBe(seen.length)
          expect(seen).toEqual(expect.arrayContaining(mine))
        })
      )

      it.effect("categories carry the ERP's labels", () =>
        Effect.gen(function* () {
          const sku = unique("LAMP")
          yield* control.seed([{ sku, name: "Brass lamp", category: categoryLabels.lamps }])
          const pim = yield* Pim.Pim

          const tree = yield* pim.categories
          const lamp = Option.getOrThrow(yield* pim.product(Ids.Sku.make(sku)))

          expect(tree.map((c) => c.label)).toEqual(
            expect.arrayContaining([categoryLabels.lamps, categoryLabels.chairs])
          )
          expect(lamp.categories.map((c) => tree.find((t) => t.code === c)?.label)).toEqual([
            categoryLabels.lamps
          ])
        })
      )

      it.effect("changes since an instant: at or after it, not before", () =>
        Effect.gen(function* () {
          const at = new Date("2031-05-01T10:00:00Z")
          const [before, exactly, after] = [unique("CHG"), unique("CHG"), unique("CHG")]
          yield* control.seed([
            { sku: before, name: "before", updatedAt: new Date(at.getTime() - 1000) },
            { sku: exactly, name: "exactly", updatedAt: at },
            { sku: after, name: "after", updatedAt: new Date(at.getTime() + 60_000) }
          ])
          const pim = yield* Pim.Pim

          const changed = yield* pim.changedSince(at)
          const mine = changed.filter((p) => [before, exactly, after].includes(p.sku))

          expect(mine.map((p) => p.sku).sort()).toEqual([exactly, after].sort())
          expect(mine.find((p) => p.sku === exactly)?.updatedAt).toEqual(at)
        })
      )
    }
  )
}
