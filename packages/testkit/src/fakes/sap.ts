/**
 * A fake SAP S/4HANA Cloud tenant (OData v2) as a `hono` app, for the ERP
 * adapter: material stock, sales pricing condition records and sales
 * orders, in SAP's own envelopes; and for the ERP catalog, the product
 * master (`A_Product` with `to_Description`) and product group texts.
 *
 * It enforces what the real tenant enforces: Basic auth (or an `APIKey`
 * header), a CSRF token fetched with `X-CSRF-Token: Fetch` and valid only
 * with the session cookie it came with, `If-Match` ETags on updates, and
 * server-side paging with `__next`. Errors come in SAP's shapes: JSON, and
 * XML for 404s of unknown resources and for 500s.
 *
 * `$filter` support is what the adapter sends: `Field eq 'value'` clauses
 * joined by `and` / `or` (values of one field are alternatives, fields are
 * all required); date comparisons are accepted and ignored, since the fake's
 * condition records are valid forever.
 *
 * Serve it through msw in tests (`Msw.toMswHandlers(baseUrl, fake.app)`) or
 * on a port in the running storefront (`serve(fake.app, port)`).
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import type { Context } from "hono"
import { Hono } from "hono"

/** One item: its SKU, decimal prices per currency and stock per location (`<plant>-<storage location>`). */
export interface SeedItem {
  readonly sku: string
  readonly name: string
  readonly prices: Readonly<Record<string, string>>
  readonly stock: ReadonlyArray<{ readonly location: string; readonly available: number }>
  /** Its product group (`ProductGroup`), a code of at most 9 characters. */
  readonly category?: string
  /** Its configurable product (`CrossPlantConfigurableProduct`), when it is a variant. */
  readonly parent?: string
  /** True when the product is marked for deletion. */
  readonly inactive?: boolean
  /** When the product last changed; the seeding instant unless told. */
  readonly updatedAt?: Date
}

/** The tenant the fake plays. */
export interface Seed {
  readonly items: ReadonlyArray<SeedItem>
  /** The communication user; "COMM_USER" / "secret" unless told. */
  readonly username?: string
  readonly password?: string
  /** When set, an `APIKey` header with this value is accepted too. */
  readonly apiKey?: string
  readonly salesOrganization?: string
  readonly distributionChannel?: string
  /** Rows per page before `__next`; 50 unless told. */
  readonly pageSize?: number
  /** How long a `timeoutAfterWrite` create stays unanswered; 5 s unless told. */
  readonly hangMs?: number
  /** Product group texts (English); a group named only by an item is its own text. */
  readonly productGroups?: ReadonlyArray<{ readonly code: string; readonly label: string }>
}

/** A sales order the fake holds. */
export interface SalesOrder {
  readonly SalesOrder: string
  readonly PurchaseOrderByCustomer: string
  readonly SoldToParty: string
  readonly OverallSDProcessStatus: "" | "A" | "B" | "C"
  readonly etag: string
  readonly body: Record<string, unknown>
}

/** A fault for the next request(s). */
export interface Injection {
  /** Delay before every answer while set. */
  readonly latencyMs?: number
  /** The next request answers 429, 500 (XML), or (a create) is saved and then not answered. */
  readonly failNext?: "429" | "500" | "timeoutAfterWrite" | undefined
  /** The `Retry-After` of an injected 429. */
  readonly retryAfterSeconds?: number
}

/** A request the fake answered. */
export interface Seen {
  readonly method: string
  readonly path: string
  readonly status: number
}

/** The fake and its control hooks. */
export interface SapFake {
  readonly app: Hono
  /** Adds items, replacing those with the same SKU. */
  readonly seed: (items: ReadonlyArray<SeedItem>) => void
  readonly setStock: (sku: string, location: string, available: number) => void
  readonly setPrice: (sku: string, currency: string, amount: string) => void
  /** Sets a sales order's overall processing status (and so its ETag). */
  readonly setOrderStatus: (salesOrder: string, status: "" | "A" | "B" | "C") => void
  /** The sales orders recorded so far, oldest first. */
  readonly orders: () => ReadonlyArray<SalesOrder>
  /** The condition record holding a SKU's price in a currency. */
  readonly conditionRecordOf: (sku: string, currency: string) => string | undefined
  readonly inject: (injection: Injection) => void
  /** Forgets every CSRF session, as when SAP's session expires. */
  readonly expireSessions: () => void
  /** Every request answered, oldest first. */
  readonly requests: () => ReadonlyArray<Seen>
}

interface Condition {
  readonly record: string
  readonly sku: string
  readonly currency: string
  amount: string
}

const root = "/sap/opu/odata/sap"
const forever = 253402214400000

const jsonError = (code: string, message: string, details: ReadonlyArray<string> = []) => ({
  error: {
    code,
    message: { lang: "en", value: message },
    innererror: {
      transactionid: randomUUID().replaceAll("-", "").toUpperCase(),
      timestamp: "20260115120000.0000000",
      Error_Resolution: {
        SAP_Transaction:
          "For backend administrators: use ADT feed reader or run transaction /n/IWFND/ERROR_LOG",
        SAP_Note: "See SAP Note 1797736 for error analysis"
      },
      errordetails: [message, ...details].map((text) => ({
        code,
        message: text,
        propertyref: "",
        severity: "error",
        target: ""
      }))
    }
  }
})

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="utf-8"?>` +
  `<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">` +
  `<code>${escapeXml(code)}</code><message xml:lang="en">${escapeXml(message)}</message>` +
  `<innererror><transactionid>${randomUUID().replaceAll("-", "").toUpperCase()}</transactionid>` +
  `<timestamp>20260115120000.0000000</timestamp>` +
  `<Error_Resolution><SAP_Transaction>Run transaction /IWFND/ERROR_LOG</SAP_Transaction>` +
  `<SAP_Note>See SAP Note 1797736 for error analysis</SAP_Note></Error_Resolution><errordetails>` +
  `<errordetail><code>${escapeXml(code)}</code><message>${escapeXml(message)}</message>` +
  `<propertyref/><severity>error</severity><target/></errordetail></errordetails></innererror></error>`

/** The clauses of a `$filter`: each field with the values it may take. */
const parseFilter = (filter: string): Map<string, Set<string>> => {
  const clauses = new Map<string, Set<string>>()
  for (const match of filter.matchAll(/(\w+) eq '((?:[^']|'')*)'/g)) {
    const [, field = "", value = ""] = match
    const values = clauses.get(field) ?? new Set<string>()
    values.add(value.replaceAll("''", "'"))
    clauses.set(field, values)
  }
  return clauses
}

const matches = (row: Record<string, unknown>, clauses: Map<string, Set<string>>) =>
  [...clauses].every(([field, values]) => values.has(String(row[field] ?? "")))

const splitLocation = (location: string) => {
  const dash = location.indexOf("-")
  return dash < 0
    ? { plant: location, storageLocation: "" }
    : { plant: location.slice(0, dash), storageLocation: location.slice(dash + 1) }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener("abort", () => {
      clearTimeout(timer)
      resolve()
    })
  })

/** Builds a fake tenant holding `seed`. */
export const makeSapFake = (seed: Seed): SapFake => {
  const username = seed.username ?? "COMM_USER"
  const password = seed.password ?? "secret"
  const salesOrganization = seed.salesOrganization ?? "1010"
  const distributionChannel = seed.distributionChannel ?? "10"
  const pageSize = seed.pageSize ?? 50
  const items = new Map<string, SeedItem>()
  const changedAt = new Map<string, Date>()
  const groupTexts = new Map((seed.productGroups ?? []).map((g) => [g.code, g.label]))
  const stock = new Map<string, Map<string, number>>()
  const conditions: Array<Condition> = []
  const orders: Array<SalesOrder> = []
  const sessions = new Map<string, string>()
  const seen: Array<Seen> = []
  let injection: Injection = {}
  let nextCondition = 1000
  let nextOrder = 5000000
  let nextEtag = 1

  const setPrice = (sku: string, currency: string, amount: string) => {
    const held = conditions.find((c) => c.sku === sku && c.currency === currency)
    if (held !== undefined) held.amount = amount
    else
      conditions.push({ record: String(++nextCondition).padStart(10, "0"), sku, currency, amount })
  }

  const seedItems = (more: ReadonlyArray<SeedItem>) => {
    for (const item of more) {
      items.set(item.sku, item)
      changedAt.set(item.sku, item.updatedAt ?? new Date())
      if (item.category !== undefined && !groupTexts.has(item.category)) {
        groupTexts.set(item.category, item.category)
      }
      stock.set(item.sku, new Map(item.stock.map((s) => [s.location, s.available])))
      for (const [currency, amount] of Object.entries(item.prices))
        setPrice(item.sku, currency, amount)
    }
  }
  seedItems(seed.items)

  const etag = () =>
    `W/"datetimeoffset'2026-01-15T12%3A00%3A${String(nextEtag++).padStart(2, "0")}.0000000Z'"`

  const stockRows = () =>
    [...stock].flatMap(([sku, locations]) =>
      [...locations].flatMap(([location, available]) => {
        const { plant, storageLocation } = splitLocation(location)
        const row = (type: string, quantity: number) => ({
          __metadata: { type: "API_MATERIAL_STOCK_SRV.A_MatlStkInAcctModType" },
          Material: sku,
          Plant: plant,
          StorageLocation: storageLocation,
          Batch: "",
          Supplier: "",
          Customer: "",
          WBSElementInternalID: "00000000",
          SDDocument: "",
          SDDocumentItem: "000000",
          InventorySpecialStockType: "",
          InventoryStockType: type,
          MaterialBaseUnit: "PC",
          MatlWrhsStkQtyInMatlBaseUnit: `${quantity}.000`
        })
        // Blocked stock ("07") sits beside the sellable stock, as in a real plant.
        return [row("01", available), row("07", 3)]
      })
    )

  const conditionRecord = (c: Condition) => ({
    __metadata: { type: "API_SLSPRICINGCONDITIONRECORD_SRV.A_SlsPrcgConditionRecordType" },
    ConditionRecord: c.record,
    ConditionSequentialNumber: "01",
    ConditionTable: "304",
    ConditionApplication: "V",
    ConditionType: "PPR0",
    ConditionValidityEndDate: `/Date(${forever})/`,
    ConditionValidityStartDate: "/Date(0)/",
    ConditionRateValue: c.amount,
    ConditionRateValueUnit: c.currency,
    ConditionQuantity: "1",
    ConditionQuantityUnit: "PC",
    ConditionIsDeleted: false
  })

  const validityRows = (expand: boolean) =>
    conditions.map((c) => ({
      __metadata: { type: "API_SLSPRICINGCONDITIONRECORD_SRV.A_SlsPrcgCndnRecdValidityType" },
      ConditionRecord: c.record,
      ConditionValidityEndDate: `/Date(${forever})/`,
      ConditionValidityStartDate: "/Date(0)/",
      ConditionApplication: "V",
      ConditionType: "PPR0",
      SalesOrganization: salesOrganization,
      DistributionChannel: distributionChannel,
      Customer: "",
      Material: c.sku,
      to_SlsPrcgConditionRecord: expand
        ? conditionRecord(c)
        : {
            __deferred: {
              uri: `${root}/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgConditionRecord('${c.record}')`
            }
          }
    }))

  const orderEntity = (o: SalesOrder, expand: boolean) => ({
    __metadata: {
      id: `${root}/API_SALES_ORDER_SRV/A_SalesOrder('${o.SalesOrder}')`,
      uri: `${root}/API_SALES_ORDER_SRV/A_SalesOrder('${o.SalesOrder}')`,
      type: "API_SALES_ORDER_SRV.A_SalesOrderType",
      etag: o.etag
    },
    ...o.body,
    SalesOrder: o.SalesOrder,
    PurchaseOrderByCustomer: o.PurchaseOrderByCustomer,
    SoldToParty: o.SoldToParty,
    CreationDate: "/Date(1768435200000)/",
    LastChangeDateTime: "/Date(1768478400000+0000)/",
    OverallSDProcessStatus: o.OverallSDProcessStatus,
    to_Item: expand
      ? {
          results: ((o.body["to_Item"] ?? []) as Array<Record<string, unknown>>).map((item) => ({
            __metadata: { type: "API_SALES_ORDER_SRV.A_SalesOrderItemType" },
            SalesOrder: o.SalesOrder,
            ...item
          }))
        }
      : {
          __deferred: { uri: `${root}/API_SALES_ORDER_SRV/A_SalesOrder('${o.SalesOrder}')/to_Item` }
        }
  })

  const collection = (c: Context, url: URL, rows: ReadonlyArray<unknown>) => {
    const skip = Number(url.searchParams.get("$skiptoken") ?? url.searchParams.get("$skip") ?? "0")
    const top = url.searchParams.get("$top")
    const limit = top === null ? rows.length : Math.min(rows.length, skip + Number(top))
    const end = Math.min(limit, skip + pageSize)
    const next = new URL(url)
    next.searchParams.delete("$skip")
    next.searchParams.set("$skiptoken", String(end))
    // The next page counts its `$top` from its own skip token.
    if (top !== null) next.searchParams.set("$top", String(limit - end))
    return c.json({
      d: {
        results: rows.slice(skip, end),
        ...(url.searchParams.get("$inlinecount") === "allpages"
          ? { __count: String(rows.length) }
          : {}),
        ...(end < limit ? { __next: next.href } : {})
      }
    })
  }

  const authorized = (c: Context) => {
    if (seed.apiKey !== undefined && c.req.header("APIKey") === seed.apiKey) return true
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`
    return c.req.header("Authorization") === expected
  }

  const sessionOf = (c: Context) =>
    /SAP_SESSIONID_FAK_100=([^;\s]+)/.exec(c.req.header("Cookie") ?? "")?.[1]

  const app = new Hono()

  app.use("*", async (c, next) => {
    if (injection.latencyMs !== undefined) await sleep(injection.latencyMs, c.req.raw.signal)
    await next()
    seen.push({ method: c.req.method, path: new URL(c.req.url).pathname, status: c.res.status })
  })

  app.use(`${root}/*`, async (c, next) => {
    if (!authorized(c)) {
      return c.html("<html><body><h1>401 Unauthorized</h1>Logon failed</body></html>", 401, {
        "WWW-Authenticate": 'Basic realm="SAP NetWeaver Application Server [FAK/100]"'
      })
    }
    const fault = injection.failNext
    if (fault === "429" || fault === "500") {
      injection = { ...injection, failNext: undefined }
      if (fault === "429") {
        return c.json(jsonError("/IWFND/CM_BEC/026", "Rate limit exceeded"), 429, {
          "Retry-After": String(injection.retryAfterSeconds ?? 1)
        })
      }
      return c.body(xmlError("/IWBEP/CM_MGW_RT/000", "Runtime error: internal server error"), 500, {
        "Content-Type": "application/xml;charset=utf-8"
      })
    }
    if (c.req.header("X-CSRF-Token")?.toLowerCase() === "fetch" && c.req.method === "GET") {
      const sid = randomUUID()
      const token = Buffer.from(randomUUID()).toString("base64").slice(0, 24)
      sessions.set(sid, token)
      c.header("x-csrf-token", token)
      c.header("Set-Cookie", `SAP_SESSIONID_FAK_100=${sid}; path=/; secure; HttpOnly`, {
        append: true
      })
      c.header("Set-Cookie", "sap-usercontext=sap-client=100; path=/", { append: true })
    }
    if (c.req.method !== "GET") {
      const sid = sessionOf(c)
      const token = c.req.header("X-CSRF-Token")
      if (sid === undefined || token === undefined || sessions.get(sid) !== token) {
        return c.text("CSRF token validation failed", 403, { "x-csrf-token": "Required" })
      }
    }
    return next()
  })

  app.get(`${root}/:service/`, (c) => c.json({ d: { EntitySets: [] } }))
  app.get(`${root}/:service`, (c) => c.json({ d: { EntitySets: [] } }))

  app.get(`${root}/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod`, (c) => {
    const url = new URL(c.req.url)
    const clauses = parseFilter(url.searchParams.get("$filter") ?? "")
    return collection(
      c,
      url,
      stockRows().filter((row) => matches(row, clauses))
    )
  })

  app.get(`${root}/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity`, (c) => {
    const url = new URL(c.req.url)
    const clauses = parseFilter(url.searchParams.get("$filter") ?? "")
    const expand = (url.searchParams.get("$expand") ?? "").includes("to_SlsPrcgConditionRecord")
    return collection(
      c,
      url,
      validityRows(expand).filter((row) => matches(row, clauses))
    )
  })

  app.get(`${root}/API_SALES_ORDER_SRV/A_SalesOrder`, (c) => {
    const url = new URL(c.req.url)
    const clauses = parseFilter(url.searchParams.get("$filter") ?? "")
    const expand = (url.searchParams.get("$expand") ?? "").includes("to_Item")
    return collection(
      c,
      url,
      orders.map((o) => orderEntity(o, expand)).filter((row) => matches(row, clauses))
    )
  })

  const productEntity = (item: SeedItem, expand: boolean) => {
    const uri = `${root}/API_PRODUCT_SRV/A_Product('${item.sku}')`
    return {
      __metadata: { id: uri, uri, type: "API_PRODUCT_SRV.A_ProductType" },
      Product: item.sku,
      ProductType: "FERT",
      ProductGroup: item.category ?? "",
      BaseUnit: "PC",
      CrossPlantConfigurableProduct: item.parent ?? "",
      IsMarkedForDeletion: item.inactive === true,
      LastChangeDateTime: `/Date(${(changedAt.get(item.sku) ?? new Date(0)).getTime()}+0000)/`,
      to_Description: expand
        ? {
            results: [
              {
                __metadata: { type: "API_PRODUCT_SRV.A_ProductDescriptionType" },
                Product: item.sku,
                Language: "EN",
                ProductDescription: item.name
              }
            ]
          }
        : { __deferred: { uri: `${uri}/to_Description` } }
    }
  }

  app.get(`${root}/API_PRODUCT_SRV/A_Product`, (c) => {
    const url = new URL(c.req.url)
    const clauses = parseFilter(url.searchParams.get("$filter") ?? "")
    const expand = (url.searchParams.get("$expand") ?? "").includes("to_Description")
    const rows = [...items.values()]
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .map((item) => productEntity(item, expand))
    return collection(
      c,
      url,
      rows.filter((row) => matches(row, clauses))
    )
  })

  app.get(`${root}/API_PRODUCTGROUP_SRV/A_ProductGroupText`, (c) => {
    const url = new URL(c.req.url)
    const clauses = parseFilter(url.searchParams.get("$filter") ?? "")
    const rows = [...groupTexts].map(([code, label]) => ({
      __metadata: { type: "API_PRODUCTGROUP_SRV.A_ProductGroupTextType" },
      MaterialGroup: code,
      Language: "EN",
      MaterialGroupName: label.slice(0, 20),
      MaterialGroupText: label
    }))
    return collection(
      c,
      url,
      rows.filter((row) => matches(row, clauses))
    )
  })

  const findOrder = (key: string) => orders.find((o) => `'${o.SalesOrder}'` === key)

  app.get(`${root}/API_SALES_ORDER_SRV/:entity{A_SalesOrder\\(.+\\)}`, (c) => {
    const key = /\((.*)\)$/.exec(decodeURIComponent(c.req.param("entity")))?.[1] ?? ""
    const order = findOrder(key)
    if (order === undefined) {
      return c.json(
        jsonError("/IWBEP/CM_MGW_RT/020", `Resource not found for segment 'A_SalesOrderType'`),
        404
      )
    }
    const expand = (new URL(c.req.url).searchParams.get("$expand") ?? "").includes("to_Item")
    return c.json({ d: orderEntity(order, expand) }, 200, { ETag: order.etag })
  })

  app.patch(`${root}/API_SALES_ORDER_SRV/:entity{A_SalesOrder\\(.+\\)}`, async (c) => {
    const key = /\((.*)\)$/.exec(decodeURIComponent(c.req.param("entity")))?.[1] ?? ""
    const index = orders.findIndex((o) => `'${o.SalesOrder}'` === key)
    const order = orders[index]
    if (order === undefined) {
      return c.json(
        jsonError("/IWBEP/CM_MGW_RT/020", `Resource not found for segment 'A_SalesOrderType'`),
        404
      )
    }
    const ifMatch = c.req.header("If-Match")
    if (ifMatch === undefined) {
      return c.json(jsonError("/IWBEP/CM_MGW_RT/021", "Precondition required: send If-Match"), 428)
    }
    if (ifMatch !== order.etag && ifMatch !== "*") {
      return c.json(
        jsonError("/IWBEP/CM_MGW_RT/022", "Precondition failed: the entity changed"),
        412
      )
    }
    const patch = (await c.req.json()) as Record<string, unknown>
    orders[index] = { ...order, body: { ...order.body, ...patch }, etag: etag() }
    return c.body(null, 204)
  })

  app.post(`${root}/API_SALES_ORDER_SRV/A_SalesOrder`, async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>
    const purchaseOrder = body["PurchaseOrderByCustomer"]
    const lines = body["to_Item"]
    if (typeof purchaseOrder !== "string" || !Array.isArray(lines) || lines.length === 0) {
      return c.json(jsonError("V1/320", "Sales document without items or customer reference"), 400)
    }
    for (const line of lines as Array<Record<string, unknown>>) {
      const material = String(line["Material"] ?? "")
      if (!items.has(material)) {
        return c.json(
          jsonError("M3/305", `The material ${material} does not exist or is not activated`),
          400
        )
      }
    }
    const order: SalesOrder = {
      SalesOrder: String(nextOrder++),
      PurchaseOrderByCustomer: purchaseOrder,
      SoldToParty: String(body["SoldToParty"] ?? ""),
      OverallSDProcessStatus: "A",
      etag: etag(),
      body
    }
    orders.push(order)
    if (injection.failNext === "timeoutAfterWrite") {
      injection = { ...injection, failNext: undefined }
      await sleep(seed.hangMs ?? 5000, c.req.raw.signal)
      return c.text("Gateway Timeout", 504)
    }
    return c.json({ d: orderEntity(order, true) }, 201, { ETag: order.etag })
  })

  app.all(`${root}/*`, (c) =>
    c.body(
      xmlError(
        "/IWBEP/CM_MGW_RT/020",
        `Resource not found for segment '${new URL(c.req.url).pathname}'`
      ),
      404,
      {
        "Content-Type": "application/xml;charset=utf-8"
      }
    )
  )

  return {
    app,
    seed: seedItems,
    setStock: (sku, location, available) => {
      const held = stock.get(sku) ?? new Map<string, number>()
      held.set(location, available)
      stock.set(sku, held)
    },
    setPrice,
    setOrderStatus: (salesOrder, status) => {
      const index = orders.findIndex((o) => o.SalesOrder === salesOrder)
      const order = orders[index]
      if (order !== undefined)
        orders[index] = { ...order, OverallSDProcessStatus: status, etag: etag() }
    },
    orders: () => [...orders],
    conditionRecordOf: (sku, currency) =>
      conditions.find((c) => c.sku === sku && c.currency === currency)?.record,
    inject: (next) => {
      injection = next
    },
    expireSessions: () => sessions.clear(),
    requests: () => [...seen]
  }
}
