/**
 * A webhook exactly as it arrived: headers and the untouched raw body.
 *
 * Signatures are computed over the raw bytes, so a verifier takes this and
 * never a parsed object: re-serialised JSON does not keep the sender's
 * escapes and whitespace.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** Headers with lower-case names, and the raw body. */
export interface RawWebhook {
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Uint8Array
}

/** Builds a raw webhook from any header casing and a body given as bytes or as the exact string received. */
export const make = (
  headers: Iterable<readonly [string, string]>,
  body: Uint8Array | string
): RawWebhook => {
  const lower: Record<string, string> = {}
  for (const [name, value] of headers) lower[name.toLowerCase()] = value
  return { headers: lower, body: typeof body === "string" ? new TextEncoder().encode(body) : body }
}

/** The raw body as UTF-8 text. */
export const text = (webhook: RawWebhook): string =>
  new TextDecoder("utf-8", { fatal: false }).decode(webhook.body)

/**
 * A webhook was refused. Over HTTP `MissingSignature`, `BadSignature` and
 * `Stale` answer 401 and `Malformed` answers 400. `Unsupported` is a genuine
 * notification we have no use for: it is acknowledged (200) and ignored,
 * because senders retry any other answer for days.
 */
export class WebhookError extends Schema.TaggedError<WebhookError>()("WebhookError", {
  reason: Schema.Literal("MissingSignature", "BadSignature", "Stale", "Malformed", "Unsupported"),
  source: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.source} webhook refused (${this.reason}): ${this.detail}`
  }
}

/** The HTTP status a refused webhook is answered with. */
export const statusOf = (error: WebhookError): 200 | 400 | 401 => {
  switch (error.reason) {
    case "Unsupported":
      return 200
    case "Malformed":
      return 400
    case "MissingSignature":
    case "BadSignature":
    case "Stale":
      return 401
  }
}
