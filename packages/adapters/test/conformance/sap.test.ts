import { describe, expect } from "@effect/vitest"
import { SharedData } from "@mercantile/testkit"
import * as Schema from "effect/Schema"
import * as OData from "../../src/sap/OData"
import * as SapErp from "../../src/sap/SapErp"
import * as SapSchema from "../../src/sap/SapSchema"
import * as Fixtures from "./fixtures"

const dir = SharedData.requireShared("fixtures", "sap")

/** Every fixture file and what the adapter must make of it. */
const checks: Record<string, Fixtures.Check> = {
  "a_product_entity.json": (json) => {
    const product = Schema.decodeUnknownSync(SapSchema.Product)(json)
    expect(product.Product).toBe("DEMOPRODUCT001")
    expect(product.LastChangeDateTime?.toISOString()).toBe("2020-03-01T14:38:39.000Z")
    expect(product.CreationDate?.getTime()).toBe(1583020800000)
    expect(product.GrossWeight).toBe("10.000")
  },
  "a_salesorder_create_request.json": (json) => {
    const body = Schema.decodeUnknownSync(SapSchema.SalesOrderCreate)(json)
    expect(body.to_Item.map((i) => [i.Material, i.RequestedQuantity])).toEqual([
      ["TG11", "5"],
      ["TG12", "15"]
    ])
  },
  "a_salesorder_expand_to_item.json": (json) => {
    const { d } = Schema.decodeUnknownSync(OData.Entity(SapSchema.SalesOrder))(json)
    expect(d.__metadata?.etag).toContain("datetimeoffset")
    expect(d.LastChangeDateTime?.getTime()).toBe(1472796947125)
    expect(SapErp.statusOf(d.OverallSDProcessStatus ?? "")).toBe("Completed")
    const items = d.to_Item !== undefined && "results" in d.to_Item ? d.to_Item.results : []
    expect(items.map((i) => [i.Material, i.RequestedQuantity, i.NetAmount])).toEqual([
      ["TG11", "3", "52.65"]
    ])
  },
  "event_salesorder_created.json": (json) => {
    const event = Schema.decodeUnknownSync(SapSchema.CloudEvent)(json)
    const data = Schema.decodeUnknownSync(SapSchema.SalesOrderEventData)(event.data)
    expect(event.type).toMatch(/^sap\.s4\.beh\.salesorder\.v1\.SalesOrder\.\w+\.v1$/)
    expect(event.time.toISOString()).toBe("2020-12-31T13:59:15.000Z")
    expect(data.SalesOrder).toBe("1")
  }
}

describe.runIf(dir !== undefined)("SAP fixtures conformance", () => {
  Fixtures.conform(dir, checks)
})
