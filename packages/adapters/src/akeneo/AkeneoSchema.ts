/**
 * Akeneo REST API payloads, decoded at the edge. These shapes never leave
 * the adapter: `AkeneoPim` maps them to the domain's `Pim` values.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** One value of an attribute for a locale and a channel (`null` when not localizable or scopable). */
export const Value = Schema.Struct({
  locale: Schema.NullOr(Schema.String),
  scope: Schema.NullOr(Schema.String),
  data: Schema.Unknown,
  linked_data: Schema.optional(Schema.Unknown),
  attribute_type: Schema.optional(Schema.String)
})
/** @see Value */
export type Value = typeof Value.Type

/** Values by attribute code. */
export const Values = Schema.Record({ key: Schema.String, value: Schema.Array(Value) })
/** @see Values */
export type Values = typeof Values.Type

/** One price of a `pim_catalog_price_collection`; `amount` is a string, a number or null. */
export const Price = Schema.Struct({
  amount: Schema.NullOr(Schema.Union(Schema.String, Schema.Number)),
  currency: Schema.String
})

/** The data of a price collection value. */
export const PriceCollection = Schema.Array(Price)

/** A metric value's data. */
export const Metric = Schema.Struct({
  amount: Schema.Union(Schema.String, Schema.Number),
  unit: Schema.String
})

/** The `linked_data` of a simple select value: the option with its labels. */
export const LinkedOption = Schema.Struct({
  attribute: Schema.String,
  code: Schema.String,
  labels: Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) })
})

/** A product of the UUID API (`/api/rest/v1/products-uuid`). */
export const Product = Schema.Struct({
  uuid: Schema.String,
  enabled: Schema.Boolean,
  family: Schema.NullOr(Schema.String),
  parent: Schema.NullOr(Schema.String),
  root_parent: Schema.optional(Schema.NullOr(Schema.String)),
  categories: Schema.Array(Schema.String),
  values: Values,
  created: Schema.optional(Schema.String),
  updated: Schema.optional(Schema.String)
})
/** @see Product */
export type Product = typeof Product.Type

/** A root product model or a sub-model. */
export const ProductModel = Schema.Struct({
  code: Schema.String,
  family: Schema.optional(Schema.NullOr(Schema.String)),
  family_variant: Schema.String,
  parent: Schema.NullOr(Schema.String),
  categories: Schema.Array(Schema.String),
  values: Values,
  updated: Schema.optional(Schema.String)
})
/** @see ProductModel */
export type ProductModel = typeof ProductModel.Type

/** A family variant: the axes and attributes of each level. */
export const FamilyVariant = Schema.Struct({
  code: Schema.String,
  labels: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  variant_attribute_sets: Schema.Array(
    Schema.Struct({
      level: Schema.Number,
      axes: Schema.Array(Schema.String),
      attributes: Schema.Array(Schema.String)
    })
  )
})
/** @see FamilyVariant */
export type FamilyVariant = typeof FamilyVariant.Type

/** An attribute's definition. */
export const Attribute = Schema.Struct({
  code: Schema.String,
  type: Schema.String,
  group: Schema.optional(Schema.String),
  localizable: Schema.Boolean,
  scopable: Schema.Boolean,
  labels: Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) })
})

/** A category of the tree. */
export const Category = Schema.Struct({
  code: Schema.String,
  parent: Schema.NullOr(Schema.String),
  labels: Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) })
})
/** @see Category */
export type Category = typeof Category.Type

const Link = Schema.Struct({ href: Schema.String })

/** A HAL page: `next` is left out on the last page. */
export const Page = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    _links: Schema.Struct({
      self: Schema.optional(Link),
      first: Schema.optional(Link),
      previous: Schema.optional(Link),
      next: Schema.optional(Link)
    }),
    current_page: Schema.optional(Schema.NullOr(Schema.Number)),
    items_count: Schema.optional(Schema.Number),
    _embedded: Schema.Struct({ items: Schema.Array(item) })
  })

/** The token endpoint's answer. */
export const Token = Schema.Struct({
  access_token: Schema.String,
  expires_in: Schema.Number,
  token_type: Schema.String,
  refresh_token: Schema.String,
  scope: Schema.optional(Schema.NullOr(Schema.String))
})
/** @see Token */
export type Token = typeof Token.Type

/** An error body: `{code, message, errors?}`; 422 adds field-level errors. */
export const ErrorBody = Schema.Struct({
  code: Schema.Number,
  message: Schema.String,
  errors: Schema.optional(
    Schema.Array(
      Schema.Struct({
        property: Schema.optional(Schema.String),
        attribute: Schema.optional(Schema.String),
        message: Schema.String
      })
    )
  )
})
/** @see ErrorBody */
export type ErrorBody = typeof ErrorBody.Type
