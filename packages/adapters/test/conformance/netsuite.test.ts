import { describe, expect, it } from "@effect/vitest"
import { SharedData } from "@mercantile/testkit"
import * as Schema from "effect/Schema"
import * as NetSuiteClient from "../../src/netsuite/NetSuiteClient"
import * as NetSuiteErp from "../../src/netsuite/NetSuiteErp"
import * as Tba from "../../src/netsuite/Tba"
import * as Fixtures from "./fixtures"

const dir = SharedData.requireShared("fixtures/netsuite")

const decode = <A, I>(schema: Schema.Schema<A, I>, value: unknown): A =>
  Schema.decodeUnknownSync(schema, { onExcessProperty: "ignore" })(value)

/** How each fixture is checked; every file in the folder must have an entry. */
const checks: Record<string, Fixtures.Check> = {
  "journalentry_record_expanded.json": (payload) => {
    const record = decode(NetSuiteClient.Record, payload)
    expect(record.id).toBe("1851")
    expect(record.externalId).toBe("tran572")
    const currency = decode(NetSuiteClient.RecordRef, payload["currency"])
    expect(currency).toMatchObject({ id: "1", refName: "USA" })
  },
  "record_list_page.json": (payload) => {
    const page = decode(NetSuiteClient.CollectionPage, payload)
    expect(page.hasMore).toBe(true)
    expect(page.links.some((link) => link.rel === "next")).toBe(true)
    expect(page.items.map((item) => item.id)).toEqual(["22", "2650", "3621"])
  },
  "suiteql_response.json": (payload) => {
    const page = decode(NetSuiteClient.SuiteQlPage, payload)
    const Row = Schema.Struct({ email: Schema.String, count: Schema.String })
    const rows = page.items.map((item) => decode(Row, item))
    expect(page.offset).toBe(10)
    expect(rows.map((row) => row.count)).toEqual(["143", "144", "145"])
  },
  "salesorder_create_request.json": (payload) => {
    const body = decode(NetSuiteErp.SalesOrderRequest, payload)
    expect(body.item.items[0]?.item.id).toBe(9999)
  },
  "tba_signature_vector.json": (payload) => {
    const v = payload as {
      inputs: Record<string, string>
      signature_base64: string
      authorization_header: string
    }
    const i = v.inputs
    const signed = Tba.sign(
      {
        realm: i["realm"]!,
        consumerKey: i["consumer_key"]!,
        consumerSecret: i["consumer_secret"]!,
        tokenId: i["token_id"]!,
        tokenSecret: i["token_secret"]!
      },
      { method: i["http_method"]!, url: i["url"]!, nonce: i["nonce"]!, timestamp: i["timestamp"]! }
    )
    expect(signed.signature).toBe(v.signature_base64)
    expect(signed.header).toBe(v.authorization_header)
  }
}

describe.runIf(dir !== undefined)("NetSuite fixtures conform to the adapter's schemas", () => {
  Fixtures.conform(dir, checks)

  it("an error body decodes with errorCode and errorPath", () => {
    const error = NetSuiteClient.errorFromResponse(
      "test",
      400,
      {},
      JSON.stringify({
        type: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1",
        title: "Bad Request",
        status: 400,
        "o:errorDetails": [
          {
            detail: "Invalid Field Value 9999 for the following field: item",
            "o:errorCode": "USER_ERROR",
            "o:errorPath": "item.items[0].item"
          }
        ]
      }),
      0
    )
    expect(error).toMatchObject({ errorCode: "USER_ERROR", errorPath: "item.items[0].item" })
  })
})
