import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Erp, Ids } from "@mercantile/domain"
import { Msw } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as NetSuiteClient from "../../src/netsuite/NetSuiteClient"
import * as NetSuiteErp from "../../src/netsuite/NetSuiteErp"

const baseUrl = "https://1234567.suitetalk.api.netsuite.com"

const settings = {
  accountId: "1234567",
  consumerKey: Redacted.make("consumer-key"),
  consumerSecret: Redacted.make("consumer-secret"),
  tokenId: Redacted.make("token-id"),
  tokenSecret: Redacted.make("token-secret"),
  baseUrl,
  concurrency: 1,
  timeout: "1 second",
  webhookSecret: Redacted.make("webhook-secret")
} as const

/** NetSuite answering every SuiteQL query with `body`. */
const answering = (body: unknown) =>
  Layer.mergeAll(
    Msw.layer(...Msw.toMswHandlers(baseUrl, { fetch: () => Response.json(body) })),
    NetSuiteErp.layerClient(settings).pipe(
      Layer.provideMerge(NetSuiteClient.layer(settings).pipe(Layer.provide(FetchHttpClient.layer)))
    )
  )

const page = (items: ReadonlyArray<unknown>) => ({
  links: [],
  count: items.length,
  hasMore: false,
  offset: 0,
  totalResults: items.length,
  items
})

describe("NetSuite answers that do not match the contract", () => {
  it.live(
    "a stock row with a number where a string belongs is a Decode error naming the field path",
    () =>
      Effect.gen(function* () {
        const stock = yield* Erp.ErpStock
        const error = yield* Effect.flip(stock.levels([Ids.Sku.make("CHAIR-1")]))

        expect(error.reason).toBe("Decode")
        expect(error.detail).toContain("row 0")
        expect(error.detail).toContain('["available"]')
        expect(error.detail).toContain("Expected string, actual 4")
      }).pipe(
        Effect.provide(
          answering(page([{ links: [], sku: "CHAIR-1", location: "1", available: 4 }]))
        )
      )
  )

  it.live("a page without its items is a Decode error naming the missing field", () =>
    Effect.gen(function* () {
      const stock = yield* Erp.ErpStock
      const error = yield* Effect.flip(stock.levels([Ids.Sku.make("CHAIR-1")]))

      expect(error.reason).toBe("Decode")
      expect(error.detail).toContain('["items"]')
    }).pipe(Effect.provide(answering({ links: [], count: 0, hasMore: false, offset: 0 })))
  )
})
