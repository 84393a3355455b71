import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { SharedData } from "@mercantile/testkit"
import * as Tba from "../../src/netsuite/Tba"

describe("Tba", () => {
  it("signs our own vector (query parameters, escaped secrets, sandbox account)", () => {
    const signed = Tba.sign(
      {
        realm: Tba.realmOf("1234567-sb1"),
        consumerKey: "consumer-key",
        consumerSecret: "consumer secret!",
        tokenId: "token-id",
        tokenSecret: "token*secret"
      },
      {
        method: "post",
        url: "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?offset=4&limit=2",
        nonce: "n0nce",
        timestamp: "1700000000"
      }
    )

    expect(signed.baseString).toBe(
      "POST&https%3A%2F%2F1234567-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Fquery%2Fv1%2Fsuiteql" +
        "&limit%3D2%26oauth_consumer_key%3Dconsumer-key%26oauth_nonce%3Dn0nce" +
        "%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000" +
        "%26oauth_token%3Dtoken-id%26oauth_version%3D1.0%26offset%3D4"
    )
    expect(signed.signingKey).toBe("consumer%20secret%21&token%2Asecret")
    expect(signed.signature).toBe("JrcB2ks8NMVYhbR+H9aO+SRofehwrP/GreI1e0LujUw=")
    expect(signed.header).toMatch(/^OAuth realm="1234567_SB1", oauth_token="token-id", /)
  })

  it("names the realm and host of an account as Oracle does", () => {
    expect(Tba.realmOf("1234567-sb1")).toBe("1234567_SB1")
    expect(Tba.hostOf("1234567_SB1")).toBe("1234567-sb1.suitetalk.api.netsuite.com")
  })

  it("draws a fresh nonce and the current time when none is given", () => {
    const credentials = {
      realm: "1",
      consumerKey: "k",
      consumerSecret: "s",
      tokenId: "t",
      tokenSecret: "u"
    }
    const request = { method: "GET", url: "https://1.suitetalk.api.netsuite.com/x" }
    expect(Tba.sign(credentials, request).header).not.toBe(Tba.sign(credentials, request).header)
  })

  const vector = SharedData.requireShared("fixtures/netsuite/tba_signature_vector.json")
  describe.runIf(vector !== undefined)("Oracle's worked example", () => {
    it("matches the base string, key, signature and header exactly", () => {
      const v = JSON.parse(readFileSync(vector!, "utf8"))
      const i = v.inputs
      const signed = Tba.sign(
        {
          realm: i.realm,
          consumerKey: i.consumer_key,
          consumerSecret: i.consumer_secret,
          tokenId: i.token_id,
          tokenSecret: i.token_secret
        },
        { method: i.http_method, url: i.url, nonce: i.nonce, timestamp: i.timestamp }
      )
      expect(signed.baseString).toBe(v.base_string)
      expect(signed.signingKey).toBe(v.signing_key)
      expect(signed.signature).toBe(v.signature_base64)
      expect(signed.header).toBe(v.authorization_header)
    })
  })
})
