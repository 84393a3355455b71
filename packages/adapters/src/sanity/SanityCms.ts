/**
 * The `Cms` and `CmsWebhooks` ports on Sanity.
 *
 * Content is the newest published document of the configured types whose
 * `slug.current` is the slug; its `content` Portable Text becomes blocks.
 * Styles map to the domain's four (`h1` → `h2`, `h4`–`h6` → `h3`, unknown →
 * `normal`), spans keep their decorator marks, and items that are not text
 * blocks (images, embeds) are left out with a debug log.
 *
 * Webhooks are verified with `@sanity/webhook`'s header codec and a
 * timing-safe comparison, then checked against a freshness window, since
 * Sanity enforces none. Drafts and documents without a slug yield no event.
 *
 * @since 0.1.0
 */
import { decodeSignatureHeader, encodeSignatureHeader } from "@sanity/webhook"
import { Cms, Event, Ids, Webhook } from "@mercantile/domain"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { timingSafeEqual } from "node:crypto"
import * as SanityClient from "./SanityClient"
import * as SanitySchema from "./SanitySchema"

/** Settings of the port on top of the client's. */
export interface SanityCmsConfig extends SanityClient.SanityConfig {
  /** The secret webhooks are signed with; without it every webhook is refused. */
  readonly webhookSecret?: Redacted.Redacted<string>
  /** Document types that hold product content; `["product"]` unless told. */
  readonly documentTypes?: ReadonlyArray<string>
  /** How far a webhook's signed instant may be from now; 5 minutes unless told. */
  readonly freshness?: Duration.DurationInput
}

/** `SANITY_*` settings, `SANITY_WEBHOOK_SECRET` included. */
export const config: Config.Config<SanityCmsConfig> = Config.all({
  client: SanityClient.config,
  webhookSecret: Config.option(Config.redacted("SANITY_WEBHOOK_SECRET"))
}).pipe(
  Config.map(({ client, webhookSecret }) => ({
    ...client,
    ...Option.match(webhookSecret, { onNone: () => ({}), onSome: (s) => ({ webhookSecret: s }) })
  }))
)

/** The webhook header carrying `t=<unix ms>,v1=<base64url HMAC>`. */
export const signatureHeader = "sanity-webhook-signature"

const decorators = new Set(["strong", "em", "code", "underline", "strike-through"])

const styleOf = (style: string): Cms.Block["style"] => {
  switch (style) {
    case "h1":
    case "h2":
      return "h2"
    case "h3":
    case "h4":
    case "h5":
    case "h6":
      return "h3"
    case "blockquote":
      return "blockquote"
    default:
      return "normal"
  }
}

const decodeTextBlock = Schema.decodeUnknownEither(SanitySchema.TextBlock)
const isSpan = Schema.is(SanitySchema.Span)

/** Portable Text to domain blocks; what is not a text block is reported in `skipped`. */
export const toBlocks = (
  items: ReadonlyArray<unknown>
): { readonly blocks: Array<Cms.Block>; readonly skipped: Array<string> } => {
  const blocks: Array<Cms.Block> = []
  const skipped: Array<string> = []
  for (const item of items) {
    const block = decodeTextBlock(item)
    if (Either.isLeft(block)) {
      const type = Schema.decodeUnknownOption(SanitySchema.PortableItem)(item)
      skipped.push(Option.match(type, { onNone: () => "unreadable", onSome: (i) => i._type }))
      continue
    }
    const spans = block.right.children.filter(isSpan).map(
      (span) =>
        new Cms.Span({
          text: span.text,
          marks: span.marks.filter((mark) => decorators.has(mark))
        })
    )
    blocks.push(new Cms.Block({ style: styleOf(block.right.style), spans }))
  }
  return { blocks, skipped }
}

const refuse = (reason: Webhook.WebhookError["reason"], detail: string) =>
  new Webhook.WebhookError({ reason, source: "sanity", detail })

/** The slug a webhook body names, if any. */
const slugOf = (body: SanitySchema.WebhookBody): string | undefined =>
  typeof body.slug === "string" ? body.slug : (body.slug?.current ?? undefined)

/** Builds both ports over a `SanityClient`. */
export const make = (settings: {
  readonly webhookSecret?: Redacted.Redacted<string>
  readonly documentTypes?: ReadonlyArray<string>
  readonly freshness?: Duration.DurationInput
}) =>
  Effect.gen(function* () {
    const client = yield* SanityClient.SanityClient
    const types = settings.documentTypes ?? ["product"]
    const freshness = Duration.toMillis(settings.freshness ?? Duration.minutes(5))

    const groq =
      "*[_type in $types && slug.current == $slug && !(_id in path('drafts.**'))]" +
      " | order(_updatedAt desc)[0]" +
      '{_id, _rev, _updatedAt, title, "slug": slug.current, content}'

    const content = (slug: Ids.Slug) =>
      client.query(groq, { types, slug }, SanitySchema.ContentResult).pipe(
        Effect.flatMap((doc) => {
          if (doc === null) return Effect.succeed(Option.none<Cms.Content>())
          const { blocks, skipped } = toBlocks(doc.content ?? [])
          const log =
            skipped.length === 0
              ? Effect.void
              : Effect.logDebug("Sanity blocks left out").pipe(
                  Effect.annotateLogs({ document_id: doc._id, types: skipped.join(",") })
                )
          return Effect.as(
            log,
            Option.some(
              new Cms.Content({
                slug,
                title: doc.title?.trim() || slug,
                blocks,
                updatedAt: new Date(doc._updatedAt)
              })
            )
          )
        }),
        Effect.mapError(
          (error) =>
            new Cms.CmsError({
              reason: error.reason,
              operation: error.operation,
              detail: error.message
            })
        ),
        Effect.annotateLogs({ slug }),
        Effect.withSpan("SanityCms.content", { attributes: { slug } })
      )

    /** Verifies the signature on the raw body; succeeds with the signed instant (ms). */
    const verify = (webhook: Webhook.RawWebhook, body: string) =>
      Effect.gen(function* () {
        const header = webhook.headers[signatureHeader]
        if (header === undefined || header.trim() === "") {
          return yield* refuse("MissingSignature", `no ${signatureHeader} header`)
        }
        if (settings.webhookSecret === undefined) {
          return yield* refuse("BadSignature", "no webhook secret is configured")
        }
        const secret = Redacted.value(settings.webhookSecret)
        const decoded = yield* Effect.try({
          try: () => decodeSignatureHeader(header),
          catch: () =>
            refuse("BadSignature", "malformed signature header; expected t=<ms>,v1=<sig>")
        })
        const expected = yield* Effect.tryPromise({
          try: () => encodeSignatureHeader(body, decoded.timestamp, secret),
          catch: (cause) => refuse("BadSignature", `cannot sign this body: ${String(cause)}`)
        })
        const wanted = Buffer.from(expected.slice(expected.indexOf(",v1=") + 4))
        const given = Buffer.from(decoded.hashedPayload)
        if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) {
          return yield* refuse("BadSignature", "v1 does not match the body")
        }
        const now = yield* Clock.currentTimeMillis
        const age = now - decoded.timestamp
        if (Math.abs(age) > freshness) {
          return yield* refuse(
            "Stale",
            `signed ${Math.round(age / 1000)} s ago, window ${freshness / 1000} s`
          )
        }
        return decoded.timestamp
      })

    const decode = (webhook: Webhook.RawWebhook) =>
      Effect.gen(function* () {
        const body = Webhook.text(webhook)
        const signedAt = yield* verify(webhook, body)
        const parsed = yield* Schema.decodeUnknown(Schema.parseJson(SanitySchema.WebhookBody))(
          body
        ).pipe(Effect.mapError(() => refuse("Malformed", "body is not a document with an _id")))
        const slug = slugOf(parsed)
        if (parsed._id.startsWith("drafts.") || slug === undefined) {
          yield* Effect.logDebug("Sanity webhook without published slug ignored").pipe(
            Effect.annotateLogs({ document_id: parsed._id })
          )
          return []
        }
        const validSlug = yield* Schema.decodeUnknown(Ids.Slug)(slug).pipe(
          Effect.mapError(() => refuse("Malformed", `slug "${slug}" is not a valid slug`))
        )
        const key = webhook.headers["idempotency-key"]
        const eventId =
          key !== undefined && key !== "" ? key : `${parsed._id}:${parsed._rev ?? signedAt}`
        const updated = parsed._updatedAt === undefined ? Number.NaN : Date.parse(parsed._updatedAt)
        return [
          new Event.ContentChanged({
            eventId: Ids.EventId.make(eventId),
            source: "cms",
            occurredAt: new Date(Number.isNaN(updated) ? signedAt : updated),
            slug: validSlug
          })
        ]
      }).pipe(
        Effect.tapError((error) =>
          Effect.logWarning("Sanity webhook refused").pipe(
            Effect.annotateLogs({ reason: error.reason, detail: error.detail })
          )
        ),
        Effect.withSpan("SanityCms.decode")
      )

    return {
      cms: Cms.Cms.of({ content }),
      webhooks: Cms.CmsWebhooks.of({ decode })
    }
  })

/** Both ports over the `SanityClient` in context. */
export const layerWith = (
  settings: Omit<SanityCmsConfig, keyof SanityClient.SanityConfig>
): Layer.Layer<Cms.Cms | Cms.CmsWebhooks, never, SanityClient.SanityClient> =>
  Layer.effectContext(
    Effect.map(make(settings), ({ cms, webhooks }) =>
      Context.make(Cms.Cms, cms).pipe(Context.add(Cms.CmsWebhooks, webhooks))
    )
  )

/** Both ports for `settings`, over `fetch`. */
export const layer = (settings: SanityCmsConfig): Layer.Layer<Cms.Cms | Cms.CmsWebhooks> =>
  layerWith(settings).pipe(
    Layer.provide(SanityClient.layer(settings)),
    Layer.provide(FetchHttpClient.layer)
  )

/** Both ports configured by `SANITY_*`, over `fetch`. */
export const layerConfig: Layer.Layer<Cms.Cms | Cms.CmsWebhooks, ConfigError.ConfigError> =
  Layer.unwrapEffect(Effect.map(config, layer))
