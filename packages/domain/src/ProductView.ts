/**
 * The product view: what a product page shows, composed by shared
 * identifier from the PIM (by SKU), the CMS (by slug) and our price and
 * stock snapshot (by SKU). Each part is read separately so that a cache can
 * hold each under its own tag and an event invalidates only its part.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cart from "./Cart"
import { Cms, type CmsError, type Content } from "./Cms"
import { ErpPrices, ErpStock, type ErpError } from "./Erp"
import type { CartId, CategoryCode, Sku, Slug } from "./Ids"
import * as Live from "./internal/live"
import { Inventory } from "./Inventory"
import type * as Money from "./Money"
import * as PriceEngine from "./PriceEngine"
import { Pim, type Category, type Page, type PimError, type Product } from "./Pim"
import { CommerceSettings } from "./Settings"
import type { StoreError } from "./StoreError"

/** The price a product page shows: one unit, tax as the storefront displays it. */
export interface UnitPrice {
  readonly sku: Sku
  readonly price: Money.Money
  readonly compareAt: Option.Option<Money.Money>
  readonly taxInclusive: boolean
}

/** Units free to sell now: the ERP's figure less what we have promised, plus any backorder room. */
export interface StockView {
  readonly sku: Sku
  readonly available: number
}

/** Reads for product pages and listings. */
export class ProductView extends Context.Tag("@mercantile/domain/ProductView")<
  ProductView,
  {
    /** A SKU's product data. */
    readonly product: (sku: Sku) => Effect.Effect<Option.Option<Product>, PimError>
    /** A slug's editorial content. */
    readonly content: (slug: Slug) => Effect.Effect<Option.Option<Content>, CmsError>
    /** A SKU's unit price for the storefront's default shopper; none when the ERP has no price. */
    readonly price: (sku: Sku) => Effect.Effect<Option.Option<UnitPrice>, ErpError>
    /** A SKU's stock. */
    readonly stock: (sku: Sku) => Effect.Effect<StockView, ErpError | StoreError>
    /** One page of the products in a category. */
    readonly listing: (
      category: CategoryCode | undefined,
      cursor: string | undefined
    ) => Effect.Effect<Page<Product>, PimError>
    /** The category tree. */
    readonly categories: Effect.Effect<ReadonlyArray<Category>, PimError>
  }
>() {}

/** Builds the product view from its ports. */
export const make = Effect.gen(function* () {
  const pim = yield* Pim
  const cms = yield* Cms
  const stock = yield* ErpStock
  const inventory = yield* Inventory
  const settings = yield* CommerceSettings
  const context = yield* Effect.context<ErpPrices | CommerceSettings>()

  const price = (sku: Sku) =>
    Effect.gen(function* () {
      const now = new Date(yield* Clock.currentTimeMillis)
      const cart = Cart.empty("view" as CartId, settings.currency)
      const pricing = yield* Live.contextFor(cart, now)
      const lists = yield* (yield* ErpPrices).lists([sku], pricing)
      const priced = PriceEngine.price({
        lines: [{ sku, quantity: 1 }],
        context: pricing,
        priceLists: lists,
        promotions: [],
        codes: [],
        tax: settings.tax
      })
      if (priced._tag === "Left") return Option.none<UnitPrice>()
      const line = priced.right.lines[0]
      if (line === undefined) return Option.none<UnitPrice>()
      return Option.some<UnitPrice>({
        sku,
        price: line.total,
        compareAt: line.compareAtPrice,
        taxInclusive: line.taxInclusive
      })
    }).pipe(Effect.provide(context), Effect.withSpan("ProductView.price", { attributes: { sku } }))

  const stockOf = (sku: Sku) =>
    Effect.gen(function* () {
      const now = new Date(yield* Clock.currentTimeMillis)
      const [levels, ledger] = yield* Effect.all(
        [stock.levels([sku]), inventory.availability([sku], now)],
        {
          concurrency: 2
        }
      )
      const erp = Live.totalsBySku(levels).get(sku) ?? 0
      return { sku, available: Live.freeToSell(sku, erp, ledger) }
    }).pipe(Effect.withSpan("ProductView.stock", { attributes: { sku } }))

  return ProductView.of({
    product: (sku) =>
      pim.product(sku).pipe(Effect.withSpan("ProductView.product", { attributes: { sku } })),
    content: (slug) =>
      cms.content(slug).pipe(Effect.withSpan("ProductView.content", { attributes: { slug } })),
    price,
    stock: stockOf,
    listing: (category, cursor) =>
      pim
        .products({
          ...(category === undefined ? {} : { category }),
          ...(cursor === undefined ? {} : { cursor })
        })
        .pipe(Effect.withSpan("ProductView.listing")),
    categories: pim.categories
  })
})

/** The product view, from its ports. */
export const layer = Layer.effect(ProductView, make)
