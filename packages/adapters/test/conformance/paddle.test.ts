import { describe, expect } from "@effect/vitest"
import { Money, Webhook } from "@mercantile/domain"
import { PaddleFake, SharedData } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Signature from "../../src/internal/Signature"
import * as PaddleClient from "../../src/paddle/PaddleClient"
import * as PaddleMerchant from "../../src/paddle/PaddleMerchant"
import * as Fixtures from "./fixtures"

const dir = SharedData.requireShared("fixtures/paddle")

const load = (file: string) => Fixtures.read(dir, file)

const decode = <A, I>(schema: Schema.Schema<A, I>, value: unknown): A =>
  Schema.decodeUnknownSync(schema)(value)

const secret = "pdl_ntf_conformance"

/** A client stub: it knows one transaction's order id and dies on anything else. */
const stub = Layer.succeed(PaddleClient.PaddleClient, {
  createTransaction: () => Effect.die("not used by decoding"),
  createAdjustment: () => Effect.die("not used by decoding"),
  getTransaction: (id) =>
    Effect.succeed(
      decode(PaddleClient.Transaction, {
        ...(load("webhook_transaction_completed.json")["data"] as object),
        id,
        custom_data: { order_id: "ORD-ADJ-1" }
      })
    )
})

/** Decodes a payload signed now, as Paddle would deliver it. */
const deliver = (payload: unknown) =>
  Effect.gen(function* () {
    const services = yield* PaddleMerchant.make({ webhookSecret: Redacted.make(secret) })
    const body = JSON.stringify(payload)
    const ts = Math.floor(Date.now() / 1000)
    return yield* services.webhooks.decode(
      Webhook.make([["Paddle-Signature", PaddleFake.signPaddle(secret, body, ts)]], body)
    )
  }).pipe(Effect.provide(stub))

const withOrder = (payload: Record<string, unknown>, orderId: string) => ({
  ...payload,
  data: { ...(payload["data"] as object), custom_data: { order_id: orderId } }
})

interface Vector {
  readonly name: string
  readonly secret?: string
  readonly secrets?: ReadonlyArray<string>
  readonly raw_body: string
  readonly header: string
  readonly now_unix: number | null
  readonly expected_valid: boolean
}

const checks: Record<string, Fixtures.Check> = {
  "transaction_create.json": (payload) =>
    Effect.sync(() => {
      const exchange = payload as { request: { body: unknown }; response: { body: unknown } }
      const request = decode(PaddleClient.CreateTransaction, exchange.request.body)
      const response = decode(
        PaddleClient.Envelope(PaddleClient.Transaction),
        exchange.response.body
      )
      expect(request.items).toHaveLength(1)
      expect(response.data.id).toBe("txn_01hempgzm2hjaxbxhbyya4c8m5")
      expect(response.data.checkout?.url).toContain("_ptxn=")
    }),
  "webhook_transaction_completed.json": (payload) =>
    Effect.gen(function* () {
      const notification = decode(PaddleClient.Notification, payload)
      decode(PaddleClient.Transaction, notification.data)
      const notOurs = yield* Effect.flip(deliver(payload))
      const [event] = yield* deliver(withOrder(payload, "ORD-1"))
      expect(notOurs.reason).toBe("Unsupported")
      expect(event).toMatchObject({
        _tag: "PaymentCompleted",
        eventId: "evt_01h8e1jxjnw9ra6zarhnz1a7y1",
        orderId: "ORD-1",
        paymentReference: "txn_01h8dzxgkvdwemdhbpcapj2tbj",
        amount: Money.make("USD", 65215n),
        occurredAt: new Date("2023-08-22T07:15:45.366122Z")
      })
    }),
  "webhook_transaction_payment_failed.json": (payload) =>
    Effect.gen(function* () {
      decode(PaddleClient.Transaction, decode(PaddleClient.Notification, payload).data)
      const [event] = yield* deliver(withOrder(payload, "ORD-2"))
      expect(event).toMatchObject({ _tag: "PaymentFailed", orderId: "ORD-2", reason: "declined" })
    }),
  "webhook_adjustment_created.json": (payload) =>
    Effect.gen(function* () {
      const adjustment = decode(
        PaddleClient.Adjustment,
        decode(PaddleClient.Notification, payload).data
      )
      const [event] = yield* deliver(payload)
      expect(adjustment.action).toBe("refund")
      expect(event).toMatchObject({
        _tag: "PaymentRefunded",
        orderId: "ORD-ADJ-1",
        paymentReference: "txn_01h8bxpvx398a7zbawb77y0kp5",
        amount: Money.make("USD", 100n)
      })
    }),
  "webhook_signature_vectors.json": (payload) =>
    Effect.sync(() => {
      const file = payload as {
        vectors: ReadonlyArray<Vector>
        malformed_headers_rejected_by_node_sdk: ReadonlyArray<string>
      }
      for (const vector of file.vectors) {
        const ts = Number(/ts=(\d+)/.exec(vector.header)?.[1])
        const result = Signature.verify({
          header: vector.header,
          body: vector.raw_body,
          secrets: vector.secrets ?? [vector.secret!],
          nowSeconds: vector.now_unix ?? ts,
          toleranceSeconds: 5
        })
        expect([vector.name, Either.isRight(result)]).toEqual([vector.name, vector.expected_valid])
        if (vector.name.includes("after ts")) {
          expect(Either.isLeft(result) && result.left.reason).toBe("Stale")
        }
      }
      for (const header of file.malformed_headers_rejected_by_node_sdk) {
        const result = Signature.verify({
          header,
          body: "{}",
          secrets: ["VALID_SECRET"],
          nowSeconds: 1234,
          toleranceSeconds: 5
        })
        expect(Either.isLeft(result) && result.left.reason).toBe("MalformedSignature")
      }
    })
}

describe.runIf(dir !== undefined)("Paddle fixtures conform to the adapter's schemas", () => {
  Fixtures.conform(dir, checks)
})
