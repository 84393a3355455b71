/**
 * A Sanity fake: the GROQ query endpoint, evaluated for real by `groq-js`
 * over a seeded set of documents, with Sanity's own error bodies (400
 * `queryParseError`, 401 `Session not found`). It is a `hono` app, so it
 * serves msw in tests and a local port alike.
 *
 * @since 0.1.0
 */
import { createHash, createHmac } from "node:crypto"
import { evaluate, parse } from "groq-js"
import { Hono, type Context } from "hono"
import type { DemoCatalog } from "../catalog/DemoCatalog"

/** A stored document: Sanity's system fields and whatever the schema adds. */
export interface SanityDoc {
  readonly _id: string
  readonly _type: string
  readonly _rev?: string
  readonly _createdAt?: string
  readonly _updatedAt?: string
  readonly [field: string]: unknown
}

/** What the fake holds. */
export interface SanitySeed {
  readonly documents: ReadonlyArray<SanityDoc>
  /** When set, the dataset is private: every query needs this Bearer token. */
  readonly token?: string
  /** When set, queries to any other dataset answer 404. */
  readonly dataset?: string
}

/** A canned answer for the next query. */
export interface Injected {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/** A running fake and its handles. */
export interface SanityFake {
  readonly app: Hono
  readonly fetch: (request: Request) => Response | Promise<Response>
  /** Every request received: method, path and query. */
  readonly requests: Array<string>
  /** Adds or replaces a document by `_id`. */
  readonly upsert: (doc: SanityDoc) => void
  /** Answers the next queries with these, in order. */
  readonly failNext: (...answers: ReadonlyArray<Injected>) => void
}

const revOf = (value: unknown) =>
  createHash("sha1").update(JSON.stringify(value)).digest("base64url").slice(0, 22)

const keyOf = (seed: string) => createHash("sha1").update(seed).digest("hex").slice(0, 12)

const stamp = "2024-01-02T03:04:05Z"

/** Portable Text for a plain text: one `normal` block per line. */
export const portableText = (text: string, seed = text): Array<SanityDoc | object> =>
  text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line, i) => ({
      _type: "block",
      _key: keyOf(`${seed}:${i}`),
      style: "normal",
      markDefs: [],
      children: [{ _type: "span", _key: keyOf(`${seed}:${i}:0`), text: line, marks: [] }]
    }))

/** One `product` document per root model: its slug, its name as title, its description as blocks. */
export const sanityDocumentsFromCatalog = (catalog: DemoCatalog): Array<SanityDoc> => {
  const slugs = new Map(catalog.variants.map((v) => [v.rootModel, v.slug]))
  return catalog.models
    .filter((model) => model.parent === undefined && slugs.has(model.code))
    .map((model) => {
      const body = {
        _id: `product-${slugs.get(model.code)}`,
        _type: "product",
        _createdAt: stamp,
        _updatedAt: stamp,
        title: model.name,
        slug: { _type: "slug", current: slugs.get(model.code) },
        content: portableText(model.description ?? "", model.code)
      }
      return { ...body, _rev: revOf(body) }
    })
}

/** Signs a webhook body as Sanity does: `t=<ms>,v1=<base64url HMAC-SHA256 of "t.body">`. */
export const signWebhook = (secret: string, body: string, timestampMs: number): string =>
  `t=${timestampMs},v1=${createHmac("sha256", secret).update(`${timestampMs}.${body}`).digest("base64url")}`

const badRequest = (c: Context, type: string, description: string, extra: object = {}) =>
  c.json({ error: { type, description, ...extra } }, 400)

/** Builds the fake. */
export const makeSanityFake = (seed: SanitySeed): SanityFake => {
  const documents = new Map(seed.documents.map((doc) => [doc._id, doc]))
  const injected: Array<Injected> = []
  const requests: Array<string> = []
  const app = new Hono()

  app.use("*", async (c, next) => {
    const url = new URL(c.req.url)
    requests.push(`${c.req.method} ${url.pathname}${url.search}`)
    await next()
  })

  app.use("/:version/data/*", async (c, next) => {
    if (seed.token !== undefined && c.req.header("authorization") !== `Bearer ${seed.token}`) {
      return c.json(
        {
          statusCode: 401,
          error: "Unauthorized",
          message: "Session not found",
          errorCode: "SIO-401-ANF"
        },
        401
      )
    }
    const answer = injected.shift()
    if (answer !== undefined) {
      return c.json(
        answer.body ?? {
          statusCode: answer.status,
          error: "Injected",
          message: "Injected failure"
        },
        answer.status as 400,
        answer.headers ?? {}
      )
    }
    await next()
  })

  const run = async (c: Context, query: string | undefined, params: Record<string, unknown>) => {
    const started = Date.now()
    const dataset = c.req.param("dataset")
    if (!/^v(\d{4}-\d{2}-\d{2}|1|X)$/.test(c.req.param("version") ?? "")) {
      return badRequest(c, "httpBadRequest", "Invalid API version given")
    }
    if (seed.dataset !== undefined && dataset !== seed.dataset) {
      return c.json(
        { statusCode: 404, error: "Not Found", message: `Dataset "${dataset}" not found` },
        404
      )
    }
    if (query === undefined || query.trim() === "") {
      return badRequest(c, "httpBadRequest", "Query parameter 'query' is required")
    }
    let tree: ReturnType<typeof parse>
    try {
      tree = parse(query, { params })
    } catch (cause) {
      const position = (cause as { position?: number }).position ?? 0
      return badRequest(c, "queryParseError", (cause as Error).message, {
        query,
        start: position,
        end: position + 1
      })
    }
    try {
      const value = await evaluate(tree, { dataset: [...documents.values()], params })
      const result = await value.get()
      const returnQuery = c.req.query("returnQuery") !== "false"
      return c.json({
        ms: Date.now() - started,
        ...(returnQuery ? { query } : {}),
        result: result ?? null,
        syncTags: [`s1:${keyOf(query).slice(0, 6)}`]
      })
    } catch (cause) {
      return badRequest(c, "queryExecutionError", (cause as Error).message, { query })
    }
  }

  app.get("/:version/data/query/:dataset", (c) => {
    const params: Record<string, unknown> = {}
    for (const [name, raw] of new URL(c.req.url).searchParams) {
      if (!name.startsWith("$")) continue
      try {
        params[name.slice(1)] = JSON.parse(raw)
      } catch {
        return badRequest(
          c,
          "httpBadRequest",
          `Unable to parse value of "${name}=${raw}". Please quote string values.`
        )
      }
    }
    return run(c, c.req.query("query"), params)
  })

  app.post("/:version/data/query/:dataset", async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as
      { query?: string; params?: Record<string, unknown> } | undefined
    if (body === undefined) return badRequest(c, "httpBadRequest", "Request body is not valid JSON")
    return run(c, body.query, body.params ?? {})
  })

  app.all("*", (c) => c.json({ statusCode: 404, error: "Not Found", message: "Not Found" }, 404))

  return {
    app,
    fetch: (request) => app.fetch(request),
    requests,
    upsert: (doc) => {
      documents.set(doc._id, doc)
    },
    failNext: (...answers) => {
      injected.push(...answers)
    }
  }
}
