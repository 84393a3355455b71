/**
 * Seeds for the in-memory vendors, built from the demo catalog, so that the
 * storefront runs with no vendor at all (`MERCANTILE_ERP=memory`, ...).
 *
 * @since 0.1.0
 */
import { Cms, Ids, Money, Pim } from "@mercantile/domain"
import type { DemoCatalog, MemoryErp } from "./MemoryVendors"
import * as Either from "effect/Either"

/** A SKU's deterministic demo stock: 5 to 44 units, from a hash of the SKU. */
export const stockFor = (sku: string): number => {
  let hash = 2166136261
  for (let i = 0; i < sku.length; i++) hash = Math.imul(hash ^ sku.charCodeAt(i), 16777619)
  return 5 + ((hash >>> 0) % 40)
}

/** The one stock location of the demo. */
export const location = "main"

/** Everything the memory vendors start with. */
export interface MemorySeed {
  readonly erp: MemoryErp.Seed
  readonly products: ReadonlyArray<Pim.Product>
  readonly categories: ReadonlyArray<Pim.Category>
  readonly contents: ReadonlyArray<Cms.Content>
}

const listPrices = (prices: Readonly<Record<string, string>>) =>
  Object.entries(prices).flatMap(([currency, amount]) =>
    currency === "EUR"
      ? Either.match(Money.fromDecimal("EUR", amount), {
          onLeft: () => [],
          onRight: (money) => [money]
        })
      : []
  )

/** The catalog as memory seeds: ERP prices tax-inclusive, deterministic stock. */
export const fromCatalog = (catalog: DemoCatalog): MemorySeed => {
  const priced = catalog.variants.filter((v) => v.prices["EUR"] !== undefined)
  const products = catalog.variants.map(
    (v) =>
      new Pim.Product({
        sku: Ids.Sku.make(v.sku),
        productId: Ids.ProductId.make(v.rootModel),
        slug: Ids.Slug.make(v.slug),
        name: v.name,
        ...(v.description === undefined ? {} : { description: v.description }),
        categories: v.categories.map((c) => Ids.CategoryCode.make(c)),
        attributes: v.attributes,
        listPrices: listPrices(v.prices),
        enabled: v.enabled
      })
  )
  const slugs = new Map(catalog.variants.map((v) => [v.slug, v]))
  return {
    erp: {
      taxInclusive: true,
      items: priced.map((v) => ({
        sku: v.sku,
        name: v.name,
        prices: { EUR: v.prices["EUR"] ?? "0" },
        stock: [{ location, available: stockFor(v.sku) }]
      }))
    },
    products,
    categories: catalog.categories.map(
      (c) =>
        new Pim.Category({
          code: Ids.CategoryCode.make(c.code),
          label: c.label,
          ...(c.parent === undefined ? {} : { parent: Ids.CategoryCode.make(c.parent) })
        })
    ),
    contents: [...slugs].map(
      ([slug, v]) =>
        new Cms.Content({
          slug: Ids.Slug.make(slug),
          title: v.name,
          blocks: [
            new Cms.Block({
              style: "normal",
              spans: [new Cms.Span({ text: v.description ?? v.name, marks: [] })]
            })
          ],
          updatedAt: new Date(0)
        })
    )
  }
}
