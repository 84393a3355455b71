/**
 * A fake NetSuite account (SuiteTalk REST) as a `hono` app: it checks the
 * Token-Based Authentication signature of every request, answers the
 * SuiteQL queries Mercantile's adapters send (stock, prices, item ids,
 * orders, and the item and class listings of the ERP catalog), and records
 * sales orders with `externalId` deduplication, in NetSuite's own shapes.
 *
 * Serve it through msw in tests (`Msw.toMswHandlers(baseUrl, fake.app)`) or
 * on a port in the running storefront (`serve(fake.app, port)`).
 *
 * @since 0.1.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import type { Context } from "hono"
import { Hono } from "hono"

/** One item: its SKU, decimal prices per currency and stock per location. */
export interface SeedItem {
  readonly sku: string
  readonly name: string
  readonly prices: Readonly<Record<string, string>>
  readonly stock: ReadonlyArray<{ readonly location: string; readonly available: number }>
  /** Its class by full name, levels joined by " : " ("Furniture : Chairs"); created on demand. */
  readonly category?: string
  /** Its sales description. */
  readonly description?: string
  /** The `itemid` of its matrix parent item. */
  readonly parent?: string
  /** True when the item is inactive. */
  readonly inactive?: boolean
  /** When the item record last changed; the seeding instant unless told. */
  readonly updatedAt?: Date
}

/** The account the fake plays. */
export interface Seed {
  readonly accountId: string
  readonly consumerKey: string
  readonly consumerSecret: string
  readonly tokenId: string
  readonly tokenSecret: string
  readonly items: ReadonlyArray<SeedItem>
  /** The secret `notification` signs with. */
  readonly webhookSecret?: string
}

/** A sales order the fake holds. */
export interface RecordedOrder {
  readonly id: string
  readonly externalId: string | undefined
  readonly idempotencyKey: string | undefined
  readonly body: unknown
}

/** A fault for the next request(s). */
export interface Injection {
  /** Delay before every answer while set. */
  readonly latencyMs?: number
  /** The next request answers 429, 500, or (a create) is saved and then never answered. */
  readonly failNext?: "429" | "500" | "timeoutAfterWrite"
  /** The `Retry-After` of an injected 429. */
  readonly retryAfterSeconds?: number
}

/** A request the fake answered. */
export interface Seen {
  readonly method: string
  readonly path: string
  readonly status: number
}

/** A notification type of the SuiteScript envelope. */
export type NotificationType = "inventory.changed" | "price.changed" | "order.status_changed"

/** The fake and its control hooks. */
export interface NetSuiteFake {
  readonly app: Hono
  /** Adds items, replacing those with the same SKU. */
  readonly seed: (items: ReadonlyArray<SeedItem>) => void
  readonly setStock: (sku: string, location: string, available: number) => void
  readonly setPrice: (sku: string, currency: string, amount: string) => void
  /** The sales orders recorded so far. */
  readonly orders: () => ReadonlyArray<RecordedOrder>
  readonly inject: (injection: Injection) => void
  /** Every request answered, oldest first. */
  readonly requests: () => ReadonlyArray<Seen>
  /** The most requests ever in flight at once. */
  readonly peakConcurrency: () => number
  /** A signed SuiteScript notification: lower-case headers and the raw body. */
  readonly notification: (
    type: NotificationType,
    data: Record<string, unknown>,
    options?: { readonly eventId?: string; readonly occurredAt?: Date; readonly ts?: number }
  ) => { readonly headers: Record<string, string>; readonly body: string }
}

/** The `x-netsuite-signature` value for `body` signed at `ts` (unix seconds). */
export const signNetSuite = (secret: string, body: string | Uint8Array, ts: number): string =>
  `ts=${ts};h1=${createHmac("sha256", secret).update(`${ts}:`).update(body).digest("hex")}`

const rfc3986 = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )

/** The OAuth 1.0a HMAC-SHA256 signature NetSuite expects for a request (RFC 5849 §3.4). */
export const tbaSignature = (
  method: string,
  url: string,
  oauth: Readonly<Record<string, string>>,
  consumerSecret: string,
  tokenSecret: string
): string => {
  const parsed = new URL(url)
  const params = [
    ...Object.entries(oauth).filter(([key]) => key !== "oauth_signature" && key !== "realm"),
    ...parsed.searchParams.entries()
  ]
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
    .sort()
  const base = `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname}`
  const text = [method.toUpperCase(), rfc3986(base), rfc3986(params.join("&"))].join("&")
  return createHmac("sha256", `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`)
    .update(text)
    .digest("base64")
}

const parseOAuthHeader = (header: string): Record<string, string> | undefined => {
  if (!header.startsWith("OAuth ")) return undefined
  const fields: Record<string, string> = {}
  for (const match of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/gi)) {
    fields[match[1]!] = decodeURIComponent(match[2]!)
  }
  return fields
}

const errorBody = (status: number, title: string, code: string, detail: string, path?: string) => ({
  type: `https://www.rfc-editor.org/rfc/rfc9110.html#section-15.${status >= 500 ? 6 : 5}.${(status % 100) + 1}`,
  title,
  status,
  "o:errorDetails": [
    { detail, "o:errorCode": code, ...(path === undefined ? {} : { "o:errorPath": path }) }
  ]
})

const unquote = (list: string): Array<string> =>
  list
    .split(",")
    .map((value) =>
      value
        .trim()
        .replace(/^'(.*)'$/s, "$1")
        .replace(/''/g, "'")
    )
    .filter((value) => value.length > 0)

const inList = (query: string, column: string): Array<string> | undefined => {
  const match = new RegExp(`${column.replace(".", "\\.")}\\s+IN\\s*\\(([^)]*)\\)`, "i").exec(query)
  return match === null ? undefined : unquote(match[1]!)
}

const matchOf = (query: string, pattern: RegExp): string | undefined => pattern.exec(query)?.[1]

/** `YYYY-MM-DD HH24:MI:SS`, in UTC. */
const sqlTime = (date: Date): string => date.toISOString().slice(0, 19).replace("T", " ")

const equalsLiteral = (query: string, column: string): string | undefined => {
  const match = new RegExp(`${column.replace(".", "\\.")}\\s*=\\s*'((?:[^']|'')*)'`, "i").exec(
    query
  )
  return match === null ? undefined : match[1]!.replace(/''/g, "'")
}

interface ItemState {
  readonly internalId: string
  readonly sku: string
  readonly record: SeedItem
  readonly classId: string | undefined
  readonly updatedAt: Date
  name: string
  prices: Map<string, string>
  stock: Map<string, { available: number; version: string }>
}

/** Builds a fake NetSuite account. */
export const makeNetSuiteFake = (seed: Seed): NetSuiteFake => {
  const items = new Map<string, ItemState>()
  const orders: Array<RecordedOrder> = []
  const seen: Array<Seen> = []
  let injection: Injection = {}
  let nextItemId = 100
  const classes = new Map<string, { id: string; name: string; parent: string | undefined }>()
  let nextClassId = 10
  let nextOrderId = 5000
  let clock = 0
  let inFlight = 0
  let peak = 0

  const consume = () => {
    const { failNext: _, ...rest } = injection
    injection = rest
  }

  const version = (): string => {
    clock = Math.max(clock + 1, Date.now())
    return String(clock)
  }

  /** The class of a full name, created with its ancestors when new. */
  const classOf = (fullName: string): string => {
    const held = classes.get(fullName)
    if (held !== undefined) return held.id
    const levels = fullName.split(" : ")
    const parent = levels.length > 1 ? classOf(levels.slice(0, -1).join(" : ")) : undefined
    const id = String(nextClassId++)
    classes.set(fullName, { id, name: levels[levels.length - 1]!, parent })
    return id
  }

  const seedItems = (list: ReadonlyArray<SeedItem>) => {
    for (const item of list) {
      const existing = items.get(item.sku)
      items.set(item.sku, {
        internalId: existing?.internalId ?? String(nextItemId++),
        sku: item.sku,
        record: item,
        classId: item.category === undefined ? undefined : classOf(item.category),
        updatedAt: item.updatedAt ?? new Date(),
        name: item.name,
        prices: new Map(Object.entries(item.prices)),
        stock: new Map(
          item.stock.map((s) => [s.location, { available: s.available, version: version() }])
        )
      })
    }
  }
  seedItems(seed.items)

  const realm = seed.accountId.toUpperCase().replace(/-/g, "_")

  const authorized = (request: Request): boolean => {
    const fields = parseOAuthHeader(request.headers.get("authorization") ?? "")
    if (fields === undefined) return false
    if (fields["realm"] !== realm) return false
    if (fields["oauth_consumer_key"] !== seed.consumerKey) return false
    if (fields["oauth_token"] !== seed.tokenId) return false
    if (fields["oauth_signature_method"] !== "HMAC-SHA256") return false
    const expected = Buffer.from(
      tbaSignature(request.method, request.url, fields, seed.consumerSecret, seed.tokenSecret)
    )
    const given = Buffer.from(fields["oauth_signature"] ?? "")
    return expected.length === given.length && timingSafeEqual(expected, given)
  }

  const app = new Hono()

  app.use("*", async (c, next) => {
    inFlight += 1
    peak = Math.max(peak, inFlight)
    try {
      if (injection.latencyMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, injection.latencyMs))
      }
      await next()
    } finally {
      inFlight -= 1
    }
    seen.push({ method: c.req.method, path: new URL(c.req.url).pathname, status: c.res.status })
  })

  app.use("*", async (c, next) => {
    if (!authorized(c.req.raw)) {
      return c.json(
        errorBody(
          401,
          "Unauthorized",
          "INVALID_LOGIN",
          "Invalid login attempt. For more details, see the Login Audit Trail."
        ),
        401
      )
    }
    const fail = injection.failNext
    if (fail === "429") {
      consume()
      const headers: Record<string, string> =
        injection.retryAfterSeconds === undefined
          ? {}
          : { "retry-after": String(injection.retryAfterSeconds) }
      return c.json(
        errorBody(
          429,
          "Too Many Requests",
          "CONCURRENCY_LIMIT_EXCEEDED",
          "Concurrent request limit exceeded. Request blocked."
        ),
        429,
        headers
      )
    }
    if (fail === "500") {
      consume()
      return c.json(
        errorBody(
          500,
          "Internal Server Error",
          "UNEXPECTED_ERROR",
          "An unexpected error occurred."
        ),
        500
      )
    }
    await next()
  })

  const origin = (c: Context) => new URL(c.req.url).origin

  /** The ERP catalog's item listing: filters by SKU, class, SKU cursor, change time, row count. */
  const itemRows = (query: string): Array<Record<string, string>> => {
    const skus = inList(query, "item.itemid")
    const classIds = inList(query, "item.class")
    const after = matchOf(query, /item\.itemid\s*>\s*'((?:[^']|'')*)'/i)?.replace(/''/g, "'")
    const since = matchOf(query, /lastmodifieddate\s*>=\s*TO_TIMESTAMP\('([^']*)'/i)
    const rows = matchOf(query, /ROWNUM\s*<=\s*(\d+)/i)
    return [...items.values()]
      .filter((item) => skus === undefined || skus.includes(item.sku))
      .filter((item) => classIds === undefined || classIds.includes(item.classId ?? ""))
      .filter((item) => after === undefined || item.sku > after)
      .filter((item) => since === undefined || sqlTime(item.updatedAt) >= since)
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .slice(0, rows === undefined ? undefined : Number(rows))
      .map((item) => ({
        id: item.internalId,
        sku: item.sku,
        name: item.name,
        ...(item.record.description === undefined ? {} : { description: item.record.description }),
        ...(item.classId === undefined ? {} : { category: item.classId }),
        ...(item.record.parent === undefined ? {} : { parent: item.record.parent }),
        isinactive: item.record.inactive === true ? "T" : "F",
        updated: sqlTime(item.updatedAt)
      }))
  }

  const suiteqlRows = (query: string): Array<Record<string, string>> | undefined => {
    if (/FROM\s+item\s+LEFT\s+OUTER\s+JOIN\s+item\s+parent\b/i.test(query)) {
      return itemRows(query)
    }
    if (/FROM\s+classification\b/i.test(query)) {
      return [...classes.values()].map((c) => ({
        id: c.id,
        name: c.name,
        ...(c.parent === undefined ? {} : { parent: c.parent }),
        isinactive: "F"
      }))
    }
    if (/FROM\s+inventoryitemlocations/i.test(query)) {
      const skus = inList(query, "item.itemid") ?? []
      const locations = inList(query, "invloc.location")
      return skus.flatMap((sku) => {
        const item = items.get(sku)
        if (item === undefined) return []
        return [...item.stock]
          .filter(([location]) => locations === undefined || locations.includes(location))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([location, level]) => ({
            sku,
            location,
            available: String(level.available),
            version: level.version
          }))
      })
    }
    if (/FROM\s+pricing/i.test(query)) {
      const skus = inList(query, "item.itemid") ?? []
      const level = equalsLiteral(query, "pricing.pricelevel") ?? "1"
      const currency = equalsLiteral(query, "currency.symbol")
      if (level !== "1") return []
      return skus.flatMap((sku) => {
        const item = items.get(sku)
        if (item === undefined) return []
        return [...item.prices]
          .filter(([code]) => currency === undefined || code === currency)
          .map(([code, amount]) => ({
            sku,
            pricelevel: "1",
            pricelevelname: "Base Price",
            currency: code,
            unitprice: amount
          }))
      })
    }
    if (/^SELECT\s+id,\s*itemid\s+FROM\s+item\s+WHERE/i.test(query)) {
      const skus = inList(query, "itemid") ?? []
      return skus.flatMap((sku) => {
        const item = items.get(sku)
        return item === undefined ? [] : [{ id: item.internalId, itemid: sku }]
      })
    }
    if (/FROM\s+transaction\s+WHERE/i.test(query)) {
      const externalId = equalsLiteral(query, "externalid")
      if (externalId === undefined) return undefined
      return orders
        .filter((order) => order.externalId === externalId)
        .map((order) => ({ id: order.id, tranid: `SO${order.id}` }))
    }
    return undefined
  }

  app.post("/services/rest/query/v1/suiteql", async (c) => {
    if (c.req.header("prefer") !== "transient") {
      return c.json(
        errorBody(
          400,
          "Bad Request",
          "INVALID_HEADER",
          "The Prefer: transient header is required."
        ),
        400
      )
    }
    const body = (await c.req.json().catch(() => undefined)) as { q?: unknown } | undefined
    const query = typeof body?.q === "string" ? body.q : undefined
    const rows = query === undefined ? undefined : suiteqlRows(query)
    if (rows === undefined) {
      return c.json(
        errorBody(
          400,
          "Bad Request",
          "INVALID_PARAMETER",
          `Invalid search query: ${String(query)}`
        ),
        400
      )
    }
    const limit = Number(c.req.query("limit") ?? "1000")
    const offset = Number(c.req.query("offset") ?? "0")
    if (
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 1000 ||
      !Number.isInteger(offset) ||
      offset % limit !== 0
    ) {
      return c.json(
        errorBody(
          400,
          "Bad Request",
          "INVALID_PARAMETER",
          "The offset must be a multiple of the limit.",
          "offset"
        ),
        400
      )
    }
    const page = rows.slice(offset, offset + limit)
    const hasMore = offset + limit < rows.length
    const href = (at: number) =>
      `${origin(c)}/services/rest/query/v1/suiteql?limit=${limit}&offset=${at}`
    return c.json({
      links: [
        { rel: "self", href: href(offset) },
        ...(hasMore ? [{ rel: "next", href: href(offset + limit) }] : [])
      ],
      count: page.length,
      hasMore,
      offset,
      totalResults: rows.length,
      items: page.map((row) => ({ links: [], ...row }))
    })
  })

  app.post("/services/rest/record/v1/salesOrder", async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as
      { externalId?: unknown; item?: { items?: Array<{ item?: { id?: unknown } }> } } | undefined
    if (body === undefined) {
      return c.json(
        errorBody(400, "Bad Request", "INVALID_CONTENT", "The request body is not valid JSON."),
        400
      )
    }
    const externalId = typeof body.externalId === "string" ? body.externalId : undefined
    const key = c.req.header("x-netsuite-idempotency-key")
    const location = (id: string) => ({
      location: `${origin(c)}/services/rest/record/v1/salesOrder/${id}`
    })

    const existing = orders.find(
      (order) =>
        (externalId !== undefined && order.externalId === externalId) ||
        (key !== undefined && order.idempotencyKey === key)
    )
    if (existing !== undefined) return c.body(null, 204, location(existing.id))

    const lines = body.item?.items ?? []
    const known = new Set([...items.values()].map((item) => item.internalId))
    const bad = lines.findIndex((line) => !known.has(String(line.item?.id)))
    if (lines.length === 0 || bad >= 0) {
      return c.json(
        errorBody(
          400,
          "Bad Request",
          "USER_ERROR",
          "Error while accessing a resource. You have entered an Invalid Field Value " +
            `${String(lines[bad]?.item?.id)} for the following field: item`,
          `item.items[${Math.max(bad, 0)}].item`
        ),
        400
      )
    }
    const order: RecordedOrder = {
      id: String(nextOrderId++),
      externalId,
      idempotencyKey: key,
      body
    }
    orders.push(order)

    if (injection.failNext === "timeoutAfterWrite") {
      consume()
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000)
        c.req.raw.signal.addEventListener("abort", () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return c.body(null, 204, location(order.id))
  })

  app.get("/services/rest/record/v1/salesOrder/:id", (c) => {
    const id = decodeURIComponent(c.req.param("id"))
    const order = id.startsWith("eid:")
      ? orders.find((o) => o.externalId === id.slice(4))
      : orders.find((o) => o.id === id)
    if (order === undefined) {
      return c.json(
        errorBody(
          404,
          "Record not found",
          "NONEXISTENT_ID",
          `The record instance does not exist. Provide a valid record instance ID.`
        ),
        404
      )
    }
    return c.json({
      links: [{ rel: "self", href: `${origin(c)}/services/rest/record/v1/salesorder/${order.id}` }],
      id: order.id,
      ...(order.externalId === undefined ? {} : { externalId: order.externalId }),
      tranId: `SO${order.id}`,
      status: { id: "B", refName: "Pending Fulfillment" }
    })
  })

  app.all("*", (c) =>
    c.json(
      errorBody(
        404,
        "Not Found",
        "INVALID_URL",
        `The URL ${new URL(c.req.url).pathname} is not served by this fake.`
      ),
      404
    )
  )

  return {
    app,
    seed: seedItems,
    setStock: (sku, location, available) => {
      const item = items.get(sku)
      if (item === undefined) throw new Error(`NetSuite fake: unknown SKU ${sku}`)
      item.stock.set(location, { available, version: version() })
    },
    setPrice: (sku, currency, amount) => {
      const item = items.get(sku)
      if (item === undefined) throw new Error(`NetSuite fake: unknown SKU ${sku}`)
      item.prices.set(currency, amount)
    },
    orders: () => [...orders],
    inject: (next) => {
      injection = next
    },
    requests: () => [...seen],
    peakConcurrency: () => peak,
    notification: (type, data, options) => {
      const secret = seed.webhookSecret
      if (secret === undefined)
        throw new Error("NetSuite fake: seed a webhookSecret to sign notifications")
      const body = JSON.stringify({
        eventId:
          options?.eventId ??
          `ns-${type}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        type,
        occurredAt: (options?.occurredAt ?? new Date()).toISOString(),
        data
      })
      const ts = options?.ts ?? Math.floor(Date.now() / 1000)
      return {
        headers: {
          "content-type": "application/json",
          "x-netsuite-signature": signNetSuite(secret, body, ts)
        },
        body
      }
    }
  }
}
