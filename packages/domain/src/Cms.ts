/**
 * The CMS port: editorial content by slug.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { UpstreamEvent } from "./Event"
import { Slug } from "./Ids"
import type { RawWebhook, WebhookError } from "./Webhook"

/** A run of text with its marks ("strong", "em"). */
export class Span extends Schema.Class<Span>("Span")({
  text: Schema.String,
  marks: Schema.Array(Schema.String)
}) {}

/** A paragraph or heading of structured text; rendered as elements, never as raw HTML. */
export class Block extends Schema.Class<Block>("Block")({
  style: Schema.Literal("normal", "h2", "h3", "blockquote"),
  spans: Schema.Array(Span)
}) {}

/** Editorial content attached to a product by its slug. */
export class Content extends Schema.Class<Content>("Content")({
  slug: Slug,
  title: Schema.String,
  blocks: Schema.Array(Block),
  updatedAt: Schema.DateFromSelf
}) {}

/** The CMS could not answer. */
export class CmsError extends Schema.TaggedError<CmsError>()("CmsError", {
  reason: Schema.Literal("Unauthorized", "RateLimited", "Unavailable", "Decode", "BadQuery"),
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `CMS ${this.operation} failed (${this.reason}): ${this.detail}`
  }
}

/** Editorial content by slug. */
export class Cms extends Context.Tag("@mercantile/domain/Cms")<
  Cms,
  {
    /** The content for a slug, if the CMS has any. */
    readonly content: (slug: Slug) => Effect.Effect<Option.Option<Content>, CmsError>
  }
>() {}

/** The CMS's change notifications. */
export class CmsWebhooks extends Context.Tag("@mercantile/domain/CmsWebhooks")<
  CmsWebhooks,
  {
    /** Verifies a notification on its raw bytes and decodes it into domain events. */
    readonly decode: (
      webhook: RawWebhook
    ) => Effect.Effect<ReadonlyArray<UpstreamEvent>, WebhookError>
  }
>() {}
