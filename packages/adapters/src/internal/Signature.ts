/**
 * Verifies webhook signatures of the `ts=<unix s>;h1=<hex>` scheme (Paddle,
 * and our NetSuite envelope): `h1` is the hex HMAC-SHA256 of
 * `"<ts>:" + raw body` with the endpoint secret.
 *
 * The body is taken as bytes or as the exact string received, never as a
 * parsed object: re-serialised JSON loses the sender's escapes. A header may
 * carry several `h1` values (secret rotation) and any one may match; several
 * secrets may be tried too. The signature is checked before the age, so a
 * genuine but old delivery fails as `Stale` and a forged one as `BadSignature`.
 *
 * @internal
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"

/** Why a signature was refused. */
export type Failure = "MissingSignature" | "MalformedSignature" | "BadSignature" | "Stale"

/** A signature was refused. */
export class SignatureError extends Data.TaggedError("SignatureError")<{
  readonly reason: Failure
  readonly detail: string
}> {
  override get message(): string {
    return `Signature refused (${this.reason}): ${this.detail}`
  }
}

/** A parsed signature header: the signed instant and every `h1` candidate. */
export interface Header {
  readonly ts: number
  readonly h1: ReadonlyArray<string>
}

/** A secret as configured, plain or redacted. */
export type Secret = string | Redacted.Redacted<string>

const reveal = (secret: Secret): string =>
  typeof secret === "string" ? secret : Redacted.value(secret)

/** Reads `ts=…;h1=…[;h1=…]`; unknown keys (`h2`) are ignored. */
export const parseHeader = (header: string): Either.Either<Header, SignatureError> => {
  let ts: number | undefined
  const h1: Array<string> = []
  for (const part of header.split(";")) {
    const at = part.indexOf("=")
    if (at <= 0) continue
    const key = part.slice(0, at).trim()
    const value = part.slice(at + 1).trim()
    if (key === "ts" && /^\d{1,12}$/.test(value)) ts = Number(value)
    if (key === "h1" && value.length > 0) h1.push(value)
  }
  if (ts === undefined || h1.length === 0) {
    return Either.left(
      new SignatureError({ reason: "MalformedSignature", detail: "expected ts=<seconds>;h1=<hex>" })
    )
  }
  return Either.right({ ts, h1 })
}

/** The hex HMAC-SHA256 of `"<ts>:" + body` with `secret`. */
export const sign = (secret: Secret, ts: number, body: Uint8Array | string): string =>
  createHmac("sha256", reveal(secret)).update(`${ts}:`).update(body).digest("hex")

/** A full header value for `body` signed at `ts`. */
export const header = (secret: Secret, ts: number, body: Uint8Array | string): string =>
  `ts=${ts};h1=${sign(secret, ts, body)}`

const hexPattern = /^[0-9a-f]{64}$/i

const sameDigest = (expected: string, candidate: string): boolean =>
  hexPattern.test(candidate) &&
  timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(candidate, "hex"))

/** What `verify` needs. */
export interface Input {
  /** The header value, undefined when the header was absent. */
  readonly header: string | undefined
  readonly body: Uint8Array | string
  /** The current secret first; older ones during a rotation. */
  readonly secrets: ReadonlyArray<Secret>
  readonly nowSeconds: number
  /** How far the signed instant may be from now, either way. */
  readonly toleranceSeconds: number
}

/** Checks a signature; succeeds with the signed instant in unix seconds. */
export const verify = (input: Input): Either.Either<number, SignatureError> => {
  if (input.header === undefined || input.header.trim() === "") {
    return Either.left(
      new SignatureError({ reason: "MissingSignature", detail: "no signature header" })
    )
  }
  return Either.flatMap(parseHeader(input.header), ({ h1, ts }) => {
    const matches = input.secrets.some((secret) => {
      const expected = sign(secret, ts, input.body)
      return h1.some((candidate) => sameDigest(expected, candidate))
    })
    if (!matches) {
      return Either.left(
        new SignatureError({ reason: "BadSignature", detail: "no h1 value matches the body" })
      )
    }
    const age = input.nowSeconds - ts
    if (Math.abs(age) > input.toleranceSeconds) {
      return Either.left(
        new SignatureError({
          reason: "Stale",
          detail: `signed ${age >= 0 ? `${age} s ago` : `${-age} s ahead`}, tolerance ${input.toleranceSeconds} s`
        })
      )
    }
    return Either.right(ts)
  })
}

/** `verify` at the current time of the Effect clock. */
export const verifyNow = (
  input: Omit<Input, "nowSeconds">
): Effect.Effect<number, SignatureError> =>
  Effect.flatMap(Clock.currentTimeMillis, (millis) =>
    verify({ ...input, nowSeconds: Math.floor(millis / 1000) })
  )
