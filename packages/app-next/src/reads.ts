/**
 * The cached reads behind product pages and listings. Each part of a page
 * is read in its own `"use cache"` function under its own tag, so an event
 * about one SKU's stock recomputes only that SKU's stock.
 *
 * Results are plain data (cached values must be serialisable).
 *
 * @since 0.1.0
 */
import { CacheTag, Ids, Money, ProductView } from "@mercantile/domain"
import type { Cms, Pim } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { cacheLife, cacheTag } from "next/cache"
import { run } from "./runtime"

/** A product as a page shows it. */
export interface ProductData {
  readonly sku: string
  readonly slug: string
  readonly name: string
  readonly description: string | null
  readonly categories: ReadonlyArray<string>
  readonly attributes: Readonly<Record<string, string>>
}

/** A shown amount: exact decimal, currency and display text. */
export interface Amount {
  readonly amount: string
  readonly currency: string
  readonly text: string
}

/** A unit price as a page shows it. */
export interface PriceData {
  readonly price: Amount
  readonly compareAt: Amount | null
  readonly taxInclusive: boolean
}

/** CMS content as a page shows it. */
export interface ContentData {
  readonly title: string
  readonly blocks: ReadonlyArray<{
    readonly style: Cms.Block["style"]
    readonly spans: ReadonlyArray<{ readonly text: string; readonly marks: ReadonlyArray<string> }>
  }>
}

/** A category of the navigation. */
export interface CategoryData {
  readonly code: string
  readonly parent: string | null
  readonly label: string
}

/** One page of a listing. */
export interface ListingData {
  readonly items: ReadonlyArray<ProductData>
  readonly next: string | null
}

/** The display form of an amount. */
export const amount = (money: Money.Money): Amount => ({
  amount: Money.toDecimal(money),
  currency: money.currency,
  text: Money.format(money)
})

const productData = (p: Pim.Product): ProductData => ({
  sku: p.sku,
  slug: p.slug,
  name: p.name.trim(),
  description: p.description ?? null,
  categories: [...p.categories],
  attributes: { ...p.attributes }
})

const isSku = Schema.is(Ids.Sku)
const isSlug = Schema.is(Ids.Slug)
const isCategory = Schema.is(Ids.CategoryCode)

/** The label used for the "everything" listing's tag. */
const allProducts = "all"

/** A SKU's product data; `null` when the PIM has none or the SKU is malformed. */
export async function readProduct(sku: string): Promise<ProductData | null> {
  "use cache"
  cacheLife("max")
  if (!isSku(sku)) return null
  cacheTag(CacheTag.product(sku))
  const found = await run(Effect.flatMap(ProductView.ProductView, (view) => view.product(sku)))
  return Option.match(found, { onNone: () => null, onSome: productData })
}

/** A slug's editorial content; `null` when the CMS has none. */
export async function readContent(slug: string): Promise<ContentData | null> {
  "use cache"
  cacheLife("max")
  if (!isSlug(slug)) return null
  cacheTag(CacheTag.content(slug))
  const found = await run(Effect.flatMap(ProductView.ProductView, (view) => view.content(slug)))
  return Option.match(found, {
    onNone: () => null,
    onSome: (content) => ({
      title: content.title,
      blocks: content.blocks.map((b) => ({
        style: b.style,
        spans: b.spans.map((s) => ({ text: s.text, marks: [...s.marks] }))
      }))
    })
  })
}

/** A SKU's unit price for the default shopper; `null` when the ERP has none. */
export async function readPrice(sku: string): Promise<PriceData | null> {
  "use cache"
  cacheLife("max")
  if (!isSku(sku)) return null
  cacheTag(CacheTag.price(sku))
  const found = await run(Effect.flatMap(ProductView.ProductView, (view) => view.price(sku)))
  return Option.match(found, {
    onNone: () => null,
    onSome: (p) => ({
      price: amount(p.price),
      compareAt: Option.match(p.compareAt, { onNone: () => null, onSome: amount }),
      taxInclusive: p.taxInclusive
    })
  })
}

/** A SKU's units free to sell. */
export async function readStock(sku: string): Promise<number> {
  "use cache"
  cacheLife("max")
  if (!isSku(sku)) return 0
  cacheTag(CacheTag.stock(sku))
  const stock = await run(Effect.flatMap(ProductView.ProductView, (view) => view.stock(sku)))
  return stock.available
}

/** The category tree. */
export async function readCategories(): Promise<ReadonlyArray<CategoryData>> {
  "use cache"
  cacheLife("max")
  cacheTag(CacheTag.listing(allProducts))
  const categories = await run(Effect.flatMap(ProductView.ProductView, (view) => view.categories))
  return categories.map((c) => ({ code: c.code, parent: c.parent ?? null, label: c.label }))
}

/** One page of a category's products (all products without a category). */
export async function readListing(
  category: string | null,
  cursor: string | null
): Promise<ListingData> {
  "use cache"
  cacheLife("max")
  const code = category !== null && isCategory(category) ? category : undefined
  cacheTag(CacheTag.listing(code ?? allProducts))
  const page = await run(
    Effect.flatMap(ProductView.ProductView, (view) => view.listing(code, cursor ?? undefined))
  )
  for (const p of page.items) cacheTag(CacheTag.product(p.sku))
  return {
    items: page.items.map(productData),
    next: Option.getOrNull(page.next)
  }
}
