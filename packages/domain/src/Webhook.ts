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
 * `Stale` answer 401 and `Malformed` and `Unsupported` answer 400 (a sender
 * retries neither).
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
export const statusOf = (error: WebhookError): 400 | 401 =>
  error.reason === "Malformed" || error.reason === "Unsupported" ? 400 : 401
