import { createHmac } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as TestClock from "effect/TestClock"
import * as Signature from "../../src/internal/Signature"

const hmac = (secret: string, text: string) =>
  createHmac("sha256", secret).update(text).digest("hex")

const reason = (result: Either.Either<number, Signature.SignatureError>) =>
  Either.match(result, { onLeft: (e) => e.reason, onRight: () => "Valid" as const })

describe("Signature", () => {
  describe("C9: signature over the raw bytes", () => {
    const secret = "test_secret"
    const raw =
      '{"event_id":"evt_1","data":{"name":"Caf\\u00e9","url":"https:\\/\\/x.test","total":"10.00"}}'
    const ts = 1_767_225_600
    const header = `ts=${ts};h1=${hmac(secret, `${ts}:${raw}`)}`
    const check = (body: Uint8Array | string, at = ts, value: string | null = header) =>
      reason(
        Signature.verify({
          header: value ?? undefined,
          body,
          secrets: [secret],
          nowSeconds: at,
          toleranceSeconds: 300
        })
      )

    it("the raw body keeps its escapes", () => {
      expect(raw).toContain("\\u00e9")
      expect(raw).toContain("\\/")
    })

    it("the exact string verifies", () => {
      expect(check(raw)).toBe("Valid")
    })

    it("the raw bytes verify", () => {
      expect(check(new TextEncoder().encode(raw))).toBe("Valid")
    })

    it("a re-serialised body fails as a bad signature", () => {
      const reserialised = JSON.stringify(JSON.parse(raw))
      expect(reserialised).not.toBe(raw)
      expect(check(reserialised)).toBe("BadSignature")
    })

    it("a body signed longer ago than the tolerance is stale", () => {
      expect(check(raw, ts + 301)).toBe("Stale")
      expect(check(raw, ts + 300)).toBe("Valid")
    })

    it("a missing header has its own error", () => {
      expect(check(raw, ts, null)).toBe("MissingSignature")
      expect(check(raw, ts, "")).toBe("MissingSignature")
    })
  })

  it("any of several h1 values may match (rotation)", () => {
    const body = '{"a":1}'
    const good = Signature.sign("new", 100, body)
    const header = `ts=100;h1=${"0".repeat(64)};h1=${good};h2=whatever`
    expect(
      reason(
        Signature.verify({ header, body, secrets: ["new"], nowSeconds: 100, toleranceSeconds: 5 })
      )
    ).toBe("Valid")
  })

  it("any of several secrets may match", () => {
    const body = "hello"
    const header = Signature.header("old", 100, body)
    const verify = (secrets: ReadonlyArray<string>) =>
      reason(Signature.verify({ header, body, secrets, nowSeconds: 100, toleranceSeconds: 5 }))
    expect(verify(["new", "old"])).toBe("Valid")
    expect(verify(["new"])).toBe("BadSignature")
  })

  it("a forged old signature is bad, not stale", () => {
    const header = `ts=100;h1=${"ab".repeat(32)}`
    expect(
      reason(
        Signature.verify({
          header,
          body: "x",
          secrets: ["s"],
          nowSeconds: 9_999,
          toleranceSeconds: 5
        })
      )
    ).toBe("BadSignature")
  })

  it("headers without ts or h1 are malformed", () => {
    for (const header of ["invalid_header", "h1=abc", "ts=1234;h2=abc", "ts=abc;h1=abc"]) {
      expect(
        reason(
          Signature.verify({
            header,
            body: "x",
            secrets: ["s"],
            nowSeconds: 0,
            toleranceSeconds: 5
          })
        )
      ).toBe("MalformedSignature")
    }
  })

  it.effect("verifyNow reads the Effect clock", () =>
    Effect.gen(function* () {
      const header = Signature.header("s", 1_000, "body")
      yield* TestClock.setTime(1_003_000)
      expect(
        yield* Signature.verifyNow({ header, body: "body", secrets: ["s"], toleranceSeconds: 5 })
      ).toBe(1_000)
      yield* TestClock.setTime(1_006_000)
      const error = yield* Effect.flip(
        Signature.verifyNow({ header, body: "body", secrets: ["s"], toleranceSeconds: 5 })
      )
      expect(error.reason).toBe("Stale")
    })
  )
})
