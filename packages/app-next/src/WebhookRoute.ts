/**
 * The webhook route handlers: verify the signature on the raw body, decode,
 * ingest (inbox, apply, invalidate), answer.
 *
 * A refused webhook answers `Webhook.statusOf` (400, 401; 200 for a genuine
 * notification we do not act on, so the sender stops resending it) with
 * `{ error: reason, detail }` and writes nothing. A route of a vendor this
 * storefront is not wired to answers 404. A failure of our own store answers 503 so the sender
 * retries later.
 *
 * @since 0.1.0
 */
import { Cms, Erp, EventIngestion, MerchantOfRecord, Webhook } from "@mercantile/domain"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { StorefrontWiring, type Wiring } from "./AppLayer"
import * as NextCache from "./NextCache"
import { runExit } from "./runtime"

/** The vendors that send us webhooks, one route each. */
export type Sender = "netsuite" | "sap" | "paddle" | "sanity"

/** Whether this storefront takes `sender`'s webhooks; a memory vendor takes its port's routes. */
const wired = (wiring: Wiring, sender: Sender): boolean => {
  switch (sender) {
    case "netsuite":
    case "sap":
      return wiring.erp === sender || wiring.erp === "memory"
    case "paddle":
      return wiring.payments === sender || wiring.payments === "memory"
    case "sanity":
      return wiring.cms === sender || wiring.cms === "memory"
  }
}

const decoder = (sender: Sender) => {
  switch (sender) {
    case "netsuite":
    case "sap":
      return Effect.map(Erp.ErpWebhooks, (w) => w.decode)
    case "paddle":
      return Effect.map(MerchantOfRecord.PaymentWebhooks, (w) => w.decode)
    case "sanity":
      return Effect.map(Cms.CmsWebhooks, (w) => w.decode)
  }
}

/** This storefront does not use the vendor whose route was called. */
export class NotWired extends Schema.TaggedError<NotWired>()("NotWired", {
  sender: Schema.String
}) {
  override get message(): string {
    return `this storefront does not use ${this.sender}`
  }
}

/** Verifies, decodes and ingests one webhook; answers the receipts and the tags to revalidate. */
export const handle = (sender: Sender, raw: Webhook.RawWebhook) =>
  Effect.gen(function* () {
    const wiring = yield* StorefrontWiring
    if (!wired(wiring, sender)) return yield* new NotWired({ sender })
    const decode = yield* decoder(sender)
    const events = yield* decode(raw).pipe(
      Effect.tapError((error) =>
        Effect.logDebug("webhook refused").pipe(
          Effect.annotateLogs({ reason: error.reason, detail: error.detail })
        )
      )
    )
    const ingestion = yield* EventIngestion.EventIngestion
    return yield* NextCache.collecting(ingestion.ingest(events))
  }).pipe(
    Effect.annotateLogs({ sender }),
    Effect.withSpan("Webhook.receive", { attributes: { sender } })
  )

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" }
  })

/** The largest webhook body accepted; every vendor's notifications are far smaller. */
export const maxBodyBytes = 1024 * 1024

const tooLarge = () =>
  json(413, { error: "TooLarge", detail: `a webhook body is at most ${maxBodyBytes} bytes` })

/** A route handler for `sender`'s webhooks. */
export const route =
  (sender: Sender) =>
  async (request: Request): Promise<Response> => {
    if (Number(request.headers.get("content-length") ?? "0") > maxBodyBytes) return tooLarge()
    const body = new Uint8Array(await request.arrayBuffer())
    if (body.byteLength > maxBodyBytes) return tooLarge()
    const raw = Webhook.make(request.headers, body)
    const exit = await runExit(handle(sender, raw))
    if (Exit.isSuccess(exit)) {
      const [receipts, tags] = exit.value
      NextCache.revalidate(tags)
      return json(200, { received: receipts.length, receipts })
    }
    const error = Cause.failureOption(exit.cause)
    if (Option.isSome(error) && error.value instanceof Object && "_tag" in error.value) {
      const failed = error.value as { readonly _tag: string }
      if (failed._tag === "WebhookError") {
        const refused = failed as Webhook.WebhookError
        return json(Webhook.statusOf(refused), { error: refused.reason, detail: refused.detail })
      }
      if (failed._tag === "NotWired") {
        return json(404, { error: "NotWired", detail: (failed as NotWired).message })
      }
      if (failed._tag === "StoreError")
        return json(503, { error: "Unavailable", detail: "try again later" })
    }
    return json(500, { error: "Internal", detail: "the webhook could not be processed" })
  }
