/**
 * An Akeneo PIM fake: the REST API subset the Akeneo adapter uses, seeded
 * from a demo catalog, answering with Akeneo's own shapes (HAL pages,
 * `{code, message}` errors, OAuth2 password and refresh-token grants).
 *
 * It is a `hono` app, so the same definition serves msw in tests
 * (`Msw.toMswHandlers(baseUrl, fake.app)`) and a local port (`serve`).
 *
 * @since 0.1.0
 */
import { createHash, randomUUID } from "node:crypto"
import { Hono, type Context } from "hono"
import type { DemoAxisValue, DemoCatalog, DemoModel, DemoVariant } from "../catalog/DemoCatalog"

/** What the fake knows: the catalog and the one API connection it accepts. */
export interface AkeneoSeed {
  readonly catalog: DemoCatalog
  readonly clientId: string
  readonly secret: string
  readonly username: string
  readonly password: string
  /** Lifetime of access tokens; 3600 s unless told. */
  readonly tokenTtlSeconds?: number
  /** Leave `root_parent` out of products, as Akeneo before 7.0 does. */
  readonly omitRootParent?: boolean
  /** The `updated` instant of every record unless `touch` changed it. */
  readonly updated?: Date
}

/** A canned answer for the next API call. */
export interface Injected {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/** A running fake and the handles a test steers it with. */
export interface AkeneoFake {
  readonly app: Hono
  readonly fetch: (request: Request) => Response | Promise<Response>
  /** Every API request received (method and path with query), token calls included. */
  readonly requests: Array<string>
  /** Grants issued, by grant type. */
  readonly grants: { password: number; refresh_token: number }
  /** Invalidates every access token issued so far (refresh tokens stay valid). */
  readonly expireTokens: () => void
  /** Answers the next API calls (not token calls) with these, in order. */
  readonly failNext: (...answers: ReadonlyArray<Injected>) => void
  /** Sets the `updated` instant of one SKU. */
  readonly touch: (sku: string, at: Date) => void
}

const error = (c: Context, code: number, message: string, extra: object = {}) =>
  c.json({ code, message, ...extra }, code as 400)

/** A stable UUID-shaped id for a SKU. */
export const uuidOf = (sku: string): string => {
  const hex = createHash("sha1").update(`akeneo:${sku}`).digest("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "+00:00")

const plainValue = (data: unknown) => [{ locale: null, scope: null, data }]

/** Akeneo's `search` filters the fake understands. */
type Filter = { readonly operator: string; readonly value?: unknown }

/** Builds the fake. */
export const makeAkeneoFake = (seed: AkeneoSeed): AkeneoFake => {
  const { catalog } = seed
  const ttl = seed.tokenTtlSeconds ?? 3600
  const baseUpdated = seed.updated ?? new Date("2024-01-02T03:04:05Z")
  const access = new Map<string, number>()
  const refresh = new Set<string>()
  const injected: Array<Injected> = []
  const touched = new Map<string, Date>()
  const requests: Array<string> = []
  const grants = { password: 0, refresh_token: 0 }

  const models = new Map(catalog.models.map((m) => [m.code.toLowerCase(), m]))
  const modelOf = (code: string | undefined) =>
    code === undefined ? undefined : models.get(code.toLowerCase())
  const optionsByAttribute = new Map<string, Map<string, string>>()
  for (const option of catalog.options ?? []) {
    const labels = optionsByAttribute.get(option.attribute) ?? new Map<string, string>()
    labels.set(option.code, option.label)
    optionsByAttribute.set(option.attribute, labels)
  }
  const currencies = [...new Set(catalog.variants.flatMap((v) => Object.keys(v.prices)))].sort()

  const categoryChildren = new Map<string, Array<string>>()
  for (const category of catalog.categories) {
    if (category.parent === undefined) continue
    const siblings = categoryChildren.get(category.parent) ?? []
    siblings.push(category.code)
    categoryChildren.set(category.parent, siblings)
  }
  const withDescendants = (codes: ReadonlyArray<string>) => {
    const found = new Set<string>()
    const queue = [...codes]
    while (queue.length > 0) {
      const code = queue.pop() as string
      if (found.has(code)) continue
      found.add(code)
      queue.push(...(categoryChildren.get(code) ?? []))
    }
    return found
  }

  const updatedOf = (variant: DemoVariant) => touched.get(variant.sku.toLowerCase()) ?? baseUpdated

  const axisValues = (variant: DemoVariant) => {
    const values: Record<string, unknown> = {}
    const axes: ReadonlyArray<DemoAxisValue> =
      variant.axes ??
      Object.entries(variant.attributes).map(([attribute, label]) => ({
        attribute,
        data: label,
        label
      }))
    for (const axis of axes) {
      if (axis.unit !== undefined) {
        values[axis.attribute] = plainValue({ amount: axis.data, unit: axis.unit })
        continue
      }
      const labels = optionsByAttribute.get(axis.attribute)
      values[axis.attribute] = [
        {
          locale: null,
          scope: null,
          data: axis.data,
          linked_data: {
            attribute: axis.attribute,
            code: axis.data,
            labels: { en_US: labels?.get(axis.data) ?? axis.label }
          }
        }
      ]
    }
    return values
  }

  const productJson = (variant: DemoVariant) => {
    const parent = modelOf(variant.parent) ?? modelOf(variant.rootModel)
    const root = modelOf(variant.rootModel)
    const prices = Object.keys(variant.prices)
    const values: Record<string, unknown> = {
      sku: plainValue(variant.sku),
      name: plainValue(variant.name),
      ...axisValues(variant)
    }
    if (variant.description !== undefined) {
      values["description"] = [{ locale: "en_US", scope: "ecommerce", data: variant.description }]
    }
    if (prices.length > 0) {
      values["price"] = plainValue(
        currencies.map((currency) => ({ amount: variant.prices[currency] ?? null, currency }))
      )
    }
    if (variant.ean !== undefined) values["ean"] = plainValue(variant.ean)
    return {
      uuid: uuidOf(variant.sku),
      enabled: variant.enabled,
      family: root?.family ?? null,
      categories: [...variant.categories],
      groups: [],
      parent: parent?.code ?? null,
      ...(seed.omitRootParent ? {} : { root_parent: root?.code ?? null }),
      values,
      created: iso(baseUpdated),
      updated: iso(updatedOf(variant)),
      associations: {},
      quantified_associations: {}
    }
  }

  const modelJson = (model: DemoModel) => ({
    code: model.code,
    family: model.family ?? null,
    family_variant: model.familyVariant,
    parent: model.parent ?? null,
    categories: model.categories,
    values: {
      name: plainValue(model.name),
      ...(model.description === undefined
        ? {}
        : { description: [{ locale: "en_US", scope: "ecommerce", data: model.description }] })
    },
    created: iso(baseUpdated),
    updated: iso(baseUpdated),
    associations: {},
    quantified_associations: {}
  })

  /** Pages `items` the way Akeneo does: `page`, `limit` ≤ 100, links without `previous`/`next` at the ends. */
  const paged = (c: Context, items: ReadonlyArray<unknown>) => {
    const url = new URL(c.req.url)
    const limit = Number(url.searchParams.get("limit") ?? "10")
    const page = Number(url.searchParams.get("page") ?? "1")
    if (!Number.isInteger(limit) || limit < 1) {
      return error(c, 422, `"${url.searchParams.get("limit")}" is not a valid limit number.`)
    }
    if (limit > 100) return error(c, 422, "You cannot request more than 100 items.")
    if (!Number.isInteger(page) || page < 1) {
      return error(c, 422, `"${url.searchParams.get("page")}" is not a valid page number.`)
    }
    const href = (n: number) => {
      const link = new URL(url)
      link.searchParams.set("page", String(n))
      link.searchParams.set("limit", String(limit))
      return { href: link.toString() }
    }
    const start = (page - 1) * limit
    return c.json({
      _links: {
        self: href(page),
        first: href(1),
        ...(page > 1 ? { previous: href(page - 1) } : {}),
        ...(start + limit < items.length ? { next: href(page + 1) } : {})
      },
      current_page: page,
      _embedded: { items: items.slice(start, start + limit) }
    })
  }

  const parseSearch = (c: Context): Record<string, ReadonlyArray<Filter>> | Response => {
    const raw = c.req.query("search")
    if (raw === undefined) return {}
    try {
      const parsed: unknown = JSON.parse(raw)
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error()
      return parsed as Record<string, ReadonlyArray<Filter>>
    } catch {
      return error(c, 400, "Search query parameter should be valid JSON.")
    }
  }

  const matches = (variant: DemoVariant, property: string, filter: Filter): boolean | string => {
    const values = Array.isArray(filter.value) ? filter.value.map(String) : [String(filter.value)]
    switch (`${property} ${filter.operator}`) {
      case "categories IN":
        return variant.categories.some((c) => values.includes(c))
      case "categories IN CHILDREN": {
        const wanted = withDescendants(values)
        return variant.categories.some((c) => wanted.has(c))
      }
      case "identifier IN":
      case "identifier =":
        return values.some((v) => v.toLowerCase() === variant.sku.toLowerCase())
      case "enabled =":
        return variant.enabled === filter.value
      case "updated >":
        return updatedOf(variant).getTime() > Date.parse(`${values[0]?.replace(" ", "T")}Z`)
      case "updated <":
        return updatedOf(variant).getTime() < Date.parse(`${values[0]?.replace(" ", "T")}Z`)
      default:
        return `Filter on property "${property}" is not supported or does not support operator "${filter.operator}"`
    }
  }

  const app = new Hono()

  app.use("*", async (c, next) => {
    const url = new URL(c.req.url)
    requests.push(`${c.req.method} ${url.pathname}${url.search}`)
    await next()
  })

  app.post("/api/oauth/v1/token", async (c) => {
    const basic = c.req.header("authorization") ?? ""
    const expected = `Basic ${Buffer.from(`${seed.clientId}:${seed.secret}`).toString("base64")}`
    if (basic !== expected) {
      return error(
        c,
        422,
        'Parameter "client_id" is missing or does not match any client, or secret is invalid'
      )
    }
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>
    if (body["grant_type"] === "password") {
      if (body["username"] !== seed.username || body["password"] !== seed.password) {
        return error(c, 422, "No user found for the given username and password")
      }
      grants.password++
    } else if (body["grant_type"] === "refresh_token") {
      const token = String(body["refresh_token"] ?? "")
      if (!refresh.has(token)) return error(c, 422, "Refresh token is invalid or has expired")
      refresh.delete(token)
      grants.refresh_token++
    } else {
      return error(c, 422, 'Parameter "grant_type" is missing or unsupported')
    }
    const accessToken = randomUUID().replaceAll("-", "")
    const refreshToken = randomUUID().replaceAll("-", "")
    access.set(accessToken, Date.now() + ttl * 1000)
    refresh.add(refreshToken)
    return c.json({
      access_token: accessToken,
      expires_in: ttl,
      token_type: "bearer",
      scope: null,
      refresh_token: refreshToken
    })
  })

  app.use("/api/rest/*", async (c, next) => {
    const header = c.req.header("authorization") ?? ""
    const token = header.startsWith("Bearer ") ? header.slice(7) : ""
    const expiresAt = access.get(token)
    if (expiresAt === undefined) return error(c, 401, "The access token provided is invalid.")
    if (expiresAt <= Date.now()) return error(c, 401, "The access token provided has expired.")
    const answer = injected.shift()
    if (answer !== undefined) {
      return c.json(
        answer.body ?? { code: answer.status, message: "Injected failure" },
        answer.status as 400,
        answer.headers ?? {}
      )
    }
    await next()
  })

  app.get("/api/rest/v1/products-uuid", (c) => {
    const search = parseSearch(c)
    if (search instanceof Response) return search
    const found: Array<DemoVariant> = []
    for (const variant of catalog.variants) {
      let keep = true
      for (const [property, filters] of Object.entries(search)) {
        for (const filter of filters) {
          const verdict = matches(variant, property, filter)
          if (typeof verdict === "string") return error(c, 422, verdict)
          keep &&= verdict
        }
      }
      if (keep) found.push(variant)
    }
    return paged(c, found.map(productJson))
  })

  app.get("/api/rest/v1/products-uuid/:uuid", (c) => {
    const uuid = c.req.param("uuid")
    const variant = catalog.variants.find((v) => uuidOf(v.sku) === uuid)
    return variant === undefined
      ? error(
          c,
          404,
          `Product "${uuid}" does not exist or you do not have permission to access it.`
        )
      : c.json(productJson(variant))
  })

  app.get("/api/rest/v1/product-models", (c) => paged(c, catalog.models.map(modelJson)))

  app.get("/api/rest/v1/product-models/:code", (c) => {
    const model = modelOf(c.req.param("code"))
    return model === undefined
      ? error(c, 404, `Product model "${c.req.param("code")}" does not exist.`)
      : c.json(modelJson(model))
  })

  app.get("/api/rest/v1/families/:family/variants/:code", (c) => {
    const code = c.req.param("code")
    const known = catalog.familyVariants?.find((fv) => fv.code === code)
    const axes =
      known?.axes ??
      (catalog.models.some((m) => m.familyVariant === code)
        ? [
            [
              ...new Set(
                catalog.variants
                  .filter((v) => modelOf(v.rootModel)?.familyVariant === code)
                  .flatMap((v) => Object.keys(v.attributes))
              )
            ]
          ]
        : undefined)
    if (axes === undefined) return error(c, 404, `Family variant "${code}" does not exist.`)
    return c.json({
      code,
      labels: {},
      variant_attribute_sets: axes.map((level, i) => ({
        level: i + 1,
        axes: level,
        attributes: [...level, ...(i === axes.length - 1 ? ["sku"] : [])]
      }))
    })
  })

  app.get("/api/rest/v1/categories", (c) =>
    paged(
      c,
      catalog.categories.map((category) => ({
        code: category.code,
        parent: category.parent ?? null,
        updated: iso(baseUpdated),
        labels: { en_US: category.label }
      }))
    )
  )

  app.all("*", (c) => error(c, 404, "Resource not found"))

  return {
    app,
    fetch: (request) => app.fetch(request),
    requests,
    grants,
    expireTokens: () => access.clear(),
    failNext: (...answers) => {
      injected.push(...answers)
    },
    touch: (sku, at) => {
      touched.set(sku.toLowerCase(), at)
    }
  }
}
