/**
 * Sanity HTTP API payloads, decoded at the edge: the query envelope, error
 * bodies, Portable Text and webhook bodies. These shapes never leave the
 * adapter.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** The query endpoint's answer around a `result`. */
export const Envelope = <A, I>(result: Schema.Schema<A, I>) =>
  Schema.Struct({
    ms: Schema.optional(Schema.Number),
    query: Schema.optional(Schema.String),
    result,
    syncTags: Schema.optional(Schema.Array(Schema.String))
  })

/** A 400 for an invalid query: `{error: {type, description, ...}}`. */
export const QueryErrorBody = Schema.Struct({
  error: Schema.Struct({
    type: Schema.String,
    description: Schema.String,
    query: Schema.optional(Schema.String),
    start: Schema.optional(Schema.Number),
    end: Schema.optional(Schema.Number)
  })
})

/** Other errors (401, 403, 429): `{statusCode, error, message, errorCode?}`. */
export const ApiErrorBody = Schema.Struct({
  statusCode: Schema.optional(Schema.Number),
  error: Schema.String,
  message: Schema.optional(Schema.String),
  errorCode: Schema.optional(Schema.String)
})

/** A span of a text block. */
export const Span = Schema.Struct({
  _type: Schema.Literal("span"),
  _key: Schema.optional(Schema.String),
  text: Schema.String,
  marks: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})

/** A Portable Text block; children other than spans are inline objects. */
export const TextBlock = Schema.Struct({
  _type: Schema.Literal("block"),
  _key: Schema.optional(Schema.String),
  style: Schema.optionalWith(Schema.String, { default: () => "normal" }),
  listItem: Schema.optional(Schema.String),
  level: Schema.optional(Schema.Number),
  markDefs: Schema.optional(
    Schema.Array(Schema.Struct({ _key: Schema.String, _type: Schema.String }))
  ),
  children: Schema.Array(
    Schema.Union(
      Span,
      Schema.Struct({ _type: Schema.String, _key: Schema.optional(Schema.String) })
    )
  )
})
/** @see TextBlock */
export type TextBlock = typeof TextBlock.Type

/** Any item of a Portable Text array (a block, an image, an embed), all its fields kept. */
export const PortableItem = Schema.Struct(
  { _type: Schema.String, _key: Schema.optional(Schema.String) },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

const Slug = Schema.Struct({ _type: Schema.optional(Schema.String), current: Schema.String })

/** A document as stored: system fields, a slug object and a Portable Text body. */
export const Document = Schema.Struct({
  _id: Schema.String,
  _type: Schema.String,
  _rev: Schema.optional(Schema.String),
  _createdAt: Schema.optional(Schema.String),
  _updatedAt: Schema.String,
  title: Schema.optional(Schema.NullOr(Schema.String)),
  slug: Schema.optional(Schema.NullOr(Slug)),
  content: Schema.optional(Schema.NullOr(Schema.Array(PortableItem)))
})
/** @see Document */
export type Document = typeof Document.Type

/** What `SanityCms.content` projects: the document with its slug as a string and its raw body. */
export const ContentResult = Schema.NullOr(
  Schema.Struct({
    _id: Schema.String,
    _rev: Schema.optional(Schema.String),
    _updatedAt: Schema.String,
    title: Schema.optional(Schema.NullOr(Schema.String)),
    slug: Schema.String,
    content: Schema.optional(Schema.NullOr(Schema.Array(Schema.Unknown)))
  })
)

/** A webhook body: the default projection (the whole document) or any projection keeping these. */
export const WebhookBody = Schema.Struct({
  _id: Schema.String,
  _type: Schema.optional(Schema.String),
  _rev: Schema.optional(Schema.String),
  _updatedAt: Schema.optional(Schema.String),
  slug: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Slug)))
})
/** @see WebhookBody */
export type WebhookBody = typeof WebhookBody.Type
