import { describe, expect, it } from "@effect/vitest"
import { Cms, Ids, Webhook } from "@mercantile/domain"
import { Catalog, Msw, SanityFake } from "@mercantile/testkit"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as SanityClient from "../../src/sanity/SanityClient"
import * as SanityCms from "../../src/sanity/SanityCms"

const baseUrl = "https://shop.sanity.test"
const catalog = await Effect.runPromise(Catalog.load(Catalog.defaultDir))

/** Our own sample in Sanity's document shape, with every kind of Portable Text item. */
const guide: SanityFake.SanityDoc = {
  _id: "guide-trail-runner",
  _type: "product",
  _rev: "r2",
  _updatedAt: "2024-03-04T05:06:07Z",
  title: "Trail runner, the long read",
  slug: { _type: "slug", current: "trail-runner-guide" },
  content: [
    {
      _type: "block",
      _key: "a",
      style: "h1",
      markDefs: [],
      children: [{ _type: "span", _key: "a0", text: "Made for mud", marks: [] }]
    },
    {
      _type: "block",
      _key: "b",
      style: "normal",
      markDefs: [{ _key: "l1", _type: "link", href: "https://example.test" }],
      children: [
        { _type: "span", _key: "b0", text: "Grip ", marks: ["strong"] },
        { _type: "span", _key: "b1", text: "that lasts", marks: ["em", "l1"] },
        { _type: "inlineIcon", _key: "b2", name: "leaf" }
      ]
    },
    { _type: "image", _key: "c", asset: { _type: "reference", _ref: "image-abc-10x10-jpg" } },
    {
      _type: "block",
      _key: "d",
      style: "h5",
      children: [{ _type: "span", _key: "d0", text: "Care", marks: [] }]
    },
    {
      _type: "block",
      _key: "e",
      style: "blockquote",
      children: [{ _type: "span", _key: "e0", text: "Best shoe.", marks: ["underline"] }]
    },
    {
      _type: "block",
      _key: "f",
      style: "lead",
      children: [{ _type: "span", _key: "f0", text: "Odd style", marks: [] }]
    }
  ]
}

const draft: SanityFake.SanityDoc = {
  _id: "drafts.product-harbor-coat",
  _type: "product",
  _updatedAt: "2030-01-01T00:00:00Z",
  title: "Unpublished title",
  slug: { _type: "slug", current: "harbor-coat" },
  content: []
}

const documents = [...SanityFake.sanityDocumentsFromCatalog(catalog), guide, draft]

const settings = (extra: Partial<SanityCms.SanityCmsConfig> = {}): SanityCms.SanityCmsConfig => ({
  baseUrl,
  projectId: "shop",
  dataset: "production",
  apiVersion: "2025-02-19",
  webhookSecret: Redacted.make("hook-secret"),
  ...extra
})

const setup = (
  seed: Partial<SanityFake.SanitySeed> = {},
  extra: Partial<SanityCms.SanityCmsConfig> = {}
) => {
  const fake = SanityFake.makeSanityFake({ documents, dataset: "production", ...seed })
  const server = Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app))
  return { fake, cms: Layer.merge(SanityCms.layer(settings(extra)), server) }
}

const slug = (s: string) => Ids.Slug.make(s)

describe("SanityCms content", () => {
  it.live("reads a product's content by slug", () => {
    const { fake, cms } = setup()
    return Effect.gen(function* () {
      const port = yield* Cms.Cms
      const content = Option.getOrThrow(yield* port.content(slug("harbor-coat")))
      expect(content.title).toBe("Harbor coat")
      expect(content.blocks).toEqual([
        new Cms.Block({
          style: "normal",
          spans: [new Cms.Span({ text: "Waxed cotton coat with a storm collar.", marks: [] })]
        })
      ])
      expect(content.updatedAt).toEqual(new Date("2024-01-02T03:04:05Z"))
      const shirt = Option.getOrThrow(yield* port.content(slug("linen-shirt")))
      expect(shirt.blocks.map((b) => b.spans[0]?.text)).toEqual([
        "Washed linen shirt.",
        "Relaxed fit; mother-of-pearl buttons."
      ])
      const request = new URL(baseUrl + (fake.requests[0] ?? "").slice(4))
      expect(request.pathname).toBe("/v2025-02-19/data/query/production")
      expect(request.searchParams.get("$slug")).toBe('"harbor-coat"')
    }).pipe(Effect.provide(cms))
  })

  it.live("maps Portable Text styles and marks, leaving out other items", () => {
    const { cms } = setup()
    return Effect.gen(function* () {
      const port = yield* Cms.Cms
      const content = Option.getOrThrow(yield* port.content(slug("trail-runner-guide")))
      expect(content.blocks.map((b) => b.style)).toEqual([
        "h2",
        "normal",
        "h3",
        "blockquote",
        "normal"
      ])
      expect(content.blocks[1]?.spans).toEqual([
        new Cms.Span({ text: "Grip ", marks: ["strong"] }),
        new Cms.Span({ text: "that lasts", marks: ["em"] })
      ])
      expect(content.blocks[3]?.spans[0]?.marks).toEqual(["underline"])
    }).pipe(Effect.provide(cms))
  })

  it.live("answers none for an unknown slug and ignores drafts", () => {
    const { cms } = setup()
    return Effect.gen(function* () {
      const port = yield* Cms.Cms
      expect(yield* port.content(slug("no-such-page"))).toEqual(Option.none())
      const published = Option.getOrThrow(yield* port.content(slug("harbor-coat")))
      expect(published.title).toBe("Harbor coat")
    }).pipe(Effect.provide(cms))
  })

  it.live("sends the token to a private dataset and types a refusal", () => {
    const anonymous = setup({ token: "sk-read" })
    const withToken = setup({ token: "sk-read" }, { token: Redacted.make("sk-read") })
    return Effect.gen(function* () {
      const refused = yield* Cms.Cms.pipe(
        Effect.flatMap((port) => Effect.flip(port.content(slug("harbor-coat")))),
        Effect.provide(anonymous.cms)
      )
      expect(refused.reason).toBe("Unauthorized")
      expect(refused.detail).toContain("Session not found")
      const content = yield* Cms.Cms.pipe(
        Effect.flatMap((port) => port.content(slug("harbor-coat"))),
        Effect.provide(withToken.cms)
      )
      expect(Option.isSome(content)).toBe(true)
    })
  })

  it.live("retries a 429 and then answers", () => {
    const { fake, cms } = setup()
    fake.failNext({
      status: 429,
      body: { statusCode: 429, error: "Too Many Requests", message: "API rate limit exceeded" },
      headers: { "retry-after": "0" }
    })
    return Effect.gen(function* () {
      const port = yield* Cms.Cms
      expect(Option.isSome(yield* port.content(slug("trail-runner")))).toBe(true)
      expect(fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(cms))
  })
})

describe("SanityClient", () => {
  const client = (fake: SanityFake.SanityFake) =>
    Layer.merge(
      SanityClient.layer(settings()).pipe(Layer.provide(FetchHttpClient.layer)),
      Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app))
    )

  it.live("types invalid GROQ as BadQuery with Sanity's error type", () => {
    const fake = SanityFake.makeSanityFake({ documents })
    return Effect.gen(function* () {
      const sanity = yield* SanityClient.SanityClient
      const error = yield* Effect.flip(sanity.query("*[_type == ", {}, Schema.Unknown))
      expect(error.reason).toBe("BadQuery")
      expect(error.status).toBe(400)
      expect(error.type).toBe("queryParseError")
    }).pipe(Effect.provide(client(fake)))
  })

  it.live("posts a query too long for a URL", () => {
    const fake = SanityFake.makeSanityFake({ documents })
    const long = "x".repeat(12_000)
    return Effect.gen(function* () {
      const sanity = yield* SanityClient.SanityClient
      const result = yield* sanity.query("count(*[title == $long])", { long }, Schema.Number)
      expect(result).toBe(0)
      expect(fake.requests[0]).toMatch(/^POST \/v2025-02-19\/data\/query\/production/)
    }).pipe(Effect.provide(client(fake)))
  })

  it.live("types a result of the wrong shape as Decode", () => {
    const fake = SanityFake.makeSanityFake({ documents })
    return Effect.gen(function* () {
      const sanity = yield* SanityClient.SanityClient
      const error = yield* Effect.flip(sanity.query("count(*)", {}, Schema.String))
      expect(error.reason).toBe("Decode")
    }).pipe(Effect.provide(client(fake)))
  })
})

describe("SanityCms webhooks", () => {
  const signedAt = Date.parse("2024-05-06T07:08:09Z")
  const body = JSON.stringify({
    _id: "product-trail-runner",
    _type: "product",
    _rev: "rev-7",
    _updatedAt: "2024-05-06T07:08:00Z",
    slug: { _type: "slug", current: "trail-runner" }
  })
  const signed = (raw: string, at = signedAt, extra: Record<string, string> = {}) =>
    Webhook.make(
      Object.entries({
        "Sanity-Webhook-Signature": SanityFake.signWebhook("hook-secret", raw, at),
        ...extra
      }),
      raw
    )
  const withoutSecret = (): SanityCms.SanityCmsConfig => {
    const { webhookSecret: _secret, ...rest } = settings()
    return rest
  }
  const webhooks = (extra: Partial<SanityCms.SanityCmsConfig> = {}) =>
    SanityCms.layer(settings(extra))

  const decode = (webhook: Webhook.RawWebhook, now = signedAt + 1_000) =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      const port = yield* Cms.CmsWebhooks
      return yield* port.decode(webhook)
    })

  it.effect("decodes a signed change into ContentChanged", () =>
    Effect.gen(function* () {
      const [event] = yield* decode(signed(body, signedAt, { "idempotency-key": "idem-1" }))
      expect(event?._tag).toBe("ContentChanged")
      expect(event).toMatchObject({
        eventId: "idem-1",
        source: "cms",
        slug: "trail-runner",
        occurredAt: new Date("2024-05-06T07:08:00Z")
      })
      const [fallback] = yield* decode(signed(body))
      expect(fallback?.eventId).toBe("product-trail-runner:rev-7")
    }).pipe(Effect.provide(webhooks()))
  )

  it.effect("refuses what the signature does not cover", () =>
    Effect.gen(function* () {
      const tampered = { ...signed(body), body: new TextEncoder().encode(body.replace("7", "8")) }
      expect((yield* Effect.flip(decode(tampered))).reason).toBe("BadSignature")
      const unsigned = Webhook.make([], body)
      expect((yield* Effect.flip(decode(unsigned))).reason).toBe("MissingSignature")
      const garbled = Webhook.make([["sanity-webhook-signature", "v1=abc"]], body)
      expect((yield* Effect.flip(decode(garbled))).reason).toBe("BadSignature")
    }).pipe(Effect.provide(webhooks()))
  )

  it.effect("refuses a signature outside the freshness window", () =>
    Effect.gen(function* () {
      const late = yield* Effect.flip(decode(signed(body), signedAt + 6 * 60_000))
      expect(late.reason).toBe("Stale")
      const early = yield* Effect.flip(decode(signed(body), signedAt - 6 * 60_000))
      expect(early.reason).toBe("Stale")
      expect(yield* decode(signed(body), signedAt + 4 * 60_000)).toHaveLength(1)
    }).pipe(Effect.provide(webhooks()))
  )

  it.effect("honours a configured freshness window", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decode(signed(body), signedAt + 11_000))
      expect(error.reason).toBe("Stale")
    }).pipe(Effect.provide(webhooks({ freshness: "10 seconds" })))
  )

  it.effect("refuses every webhook when no secret is configured", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decode(signed(body)))
      expect(error.reason).toBe("BadSignature")
    }).pipe(Effect.provide(SanityCms.layer(withoutSecret())))
  )

  it.effect("ignores drafts and slugless documents, refuses unreadable bodies", () =>
    Effect.gen(function* () {
      const draftBody = JSON.stringify({ _id: "drafts.product-x", slug: { current: "x" } })
      expect(yield* decode(signed(draftBody))).toEqual([])
      expect(yield* decode(signed(JSON.stringify({ _id: "settings" })))).toEqual([])
      const projected = yield* decode(signed(JSON.stringify({ _id: "p", slug: "linen-shirt" })))
      expect(projected[0]).toMatchObject({ slug: "linen-shirt", occurredAt: new Date(signedAt) })
      const broken = yield* Effect.flip(decode(signed("{not json")))
      expect(broken.reason).toBe("Malformed")
    }).pipe(Effect.provide(webhooks()))
  )
})
