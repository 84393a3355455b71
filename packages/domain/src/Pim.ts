/**
 * The PIM port: product data (names, descriptions, attributes, categories)
 * by SKU and by page.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { CategoryCode, ProductId, Sku, Slug } from "./Ids"
import * as Money from "./Money"

/** One sellable variant as the PIM describes it. */
export class Product extends Schema.Class<Product>("Product")({
  sku: Sku,
  /** The model the variant belongs to; variants of one model share a page family. */
  productId: ProductId,
  /** Links the product to its CMS content. */
  slug: Slug,
  name: Schema.String,
  description: Schema.optional(Schema.String),
  categories: Schema.Array(CategoryCode),
  /** The variant's axis values and other displayable attributes ("color" → "white"). */
  attributes: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** The PIM's list prices, for reference; the ERP's prices are the ones charged. */
  listPrices: Schema.Array(Money.Money),
  enabled: Schema.Boolean,
  updatedAt: Schema.optional(Schema.DateFromSelf)
}) {}

/** A category of the catalog tree. */
export class Category extends Schema.Class<Category>("Category")({
  code: CategoryCode,
  parent: Schema.optional(CategoryCode),
  label: Schema.String
}) {}

/** One page of a longer listing, and the cursor of the next page when there is one. */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly next: Option.Option<string>
}

/** The PIM could not answer. */
export class PimError extends Schema.TaggedError<PimError>()("PimError", {
  reason: Schema.Literal("Unauthorized", "RateLimited", "Unavailable", "Decode"),
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `PIM ${this.operation} failed (${this.reason}): ${this.detail}`
  }
}

/** Product data by SKU and by page. */
export class Pim extends Context.Tag("@mercantile/domain/Pim")<
  Pim,
  {
    /** One SKU's product data, if the PIM has it. */
    readonly product: (sku: Sku) => Effect.Effect<Option.Option<Product>, PimError>
    /** One page of products, optionally only those in a category (or its descendants). */
    readonly products: (query: {
      readonly category?: CategoryCode
      readonly cursor?: string
      readonly limit?: number
    }) => Effect.Effect<Page<Product>, PimError>
    /** The category tree. */
    readonly categories: Effect.Effect<ReadonlyArray<Category>, PimError>
    /** Products updated at or after an instant, for incremental sync. */
    readonly changedSince: (since: Date) => Effect.Effect<ReadonlyArray<Product>, PimError>
  }
>() {}
