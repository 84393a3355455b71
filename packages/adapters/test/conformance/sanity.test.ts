import { describe, expect, it } from "@effect/vitest"
import { Cms, Ids, Webhook } from "@mercantile/domain"
import { Msw, SanityFake, SharedData } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as SanityCms from "../../src/sanity/SanityCms"
import * as SanitySchema from "../../src/sanity/SanitySchema"
import * as Fixtures from "./fixtures"

const dir = SharedData.requireShared("fixtures", "sanity")

const fixture = (file: string) => Fixtures.read(dir, file)

const Vectors = Schema.Struct({
  header_name: Schema.Literal("sanity-webhook-signature"),
  vectors: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      secret: Schema.String,
      raw_body: Schema.String,
      header: Schema.String,
      expected_valid: Schema.Boolean
    })
  )
})

const Entries = SanitySchema.Envelope(
  Schema.Struct({ entries: Schema.Array(SanitySchema.Document) })
)

/** Every fixture file and the schema it decodes with. */
const checks: Record<string, Fixtures.Check> = {
  "document_post.json": Fixtures.decodes(SanitySchema.Document),
  "groq_query_response.json": Fixtures.decodes(Entries),
  "webhook_signature_vectors.json": Fixtures.decodes(Vectors)
}

describe.runIf(dir !== undefined)("sanity fixtures", () => {
  Fixtures.conform(dir, checks)

  it("maps every Portable Text item of the documents", () => {
    const post = Schema.decodeUnknownSync(SanitySchema.Document)(fixture("document_post.json"))
    const { entries } = Schema.decodeUnknownSync(Entries)(
      fixture("groq_query_response.json")
    ).result
    for (const doc of [post, ...entries]) {
      const { blocks, skipped } = SanityCms.toBlocks(doc.content ?? [])
      expect(skipped).toEqual([])
      expect(blocks.length).toBe(doc.content?.length)
      expect(blocks.every((b) => b.spans.length > 0)).toBe(true)
    }
  })

  it.live("serves the documented post through the fake and the real adapter", () => {
    const baseUrl = "https://docs.sanity.test"
    const post = fixture("document_post.json") as SanityFake.SanityDoc
    const fake = SanityFake.makeSanityFake({ documents: [post] })
    const cms = SanityCms.layer({
      baseUrl,
      projectId: "docs",
      dataset: "production",
      apiVersion: "2025-02-19",
      documentTypes: ["post"]
    })
    return Effect.gen(function* () {
      const port = yield* Cms.Cms
      const content = Option.getOrThrow(yield* port.content(Ids.Slug.make("94")))
      expect(content.title).toBe("Why Next.js Developers Love Sanity")
      expect(content.blocks[0]?.style).toBe("h2")
      expect(content.updatedAt).toEqual(new Date("2024-11-15T15:30:23Z"))
    }).pipe(Effect.provide(Layer.merge(cms, Msw.layer(...Msw.toMswHandlers(baseUrl, fake.app)))))
  })

  const { vectors } = Schema.decodeUnknownSync(Vectors)(
    dir === undefined
      ? { header_name: "sanity-webhook-signature", vectors: [] }
      : fixture("webhook_signature_vectors.json")
  )

  for (const vector of vectors) {
    it.effect(`signature vector: ${vector.name}`, () =>
      Effect.gen(function* () {
        const t = Number(/t=(\d+)/.exec(vector.header)?.[1])
        yield* TestClock.setTime(t + 1_000)
        const port = yield* Cms.CmsWebhooks
        const webhook = Webhook.make([[SanityCms.signatureHeader, vector.header]], vector.raw_body)
        const result = yield* Effect.either(port.decode(webhook))
        if (vector.expected_valid) {
          expect(result._tag).toBe("Right")
          expect(SanityFake.signWebhook(vector.secret, vector.raw_body, t)).toBe(vector.header)
        } else {
          expect(result._tag === "Left" && result.left.reason).toBe("BadSignature")
        }
      }).pipe(
        Effect.provide(
          SanityCms.layer({
            projectId: "p",
            dataset: "d",
            apiVersion: "2025-02-19",
            webhookSecret: Redacted.make(vector.secret)
          })
        )
      )
    )
  }
})
