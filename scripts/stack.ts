/**
 * The whole local stack, shared by `npm start` and the end-to-end tests:
 * the vendor fakes seeded from the demo catalog (Akeneo, Sanity, NetSuite,
 * Paddle, SAP) on loopback ports, the embedded PostgreSQL (PGlite behind a
 * socket server) unless `DATABASE_URL` is set, a build of the storefront
 * when it is missing or older than the sources, and `next start` with the
 * environment pointing every adapter at the fakes.
 *
 * Everything lives in the caller's scope: closing it stops the storefront,
 * the database and the fakes.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import { spawn, type ChildProcess } from "node:child_process"
import { randomBytes, randomUUID } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs"
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse
} from "node:http"
import { createServer } from "node:net"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as PgDatabase from "../packages/adapters/src/postgres/PgDatabase"
import { stockFor } from "../packages/app-next/src/MemorySeed"
import * as AkeneoCsv from "../packages/testkit/src/catalog/AkeneoCsv"
import type { DemoCatalog } from "../packages/testkit/src/catalog/DemoCatalog"
import { makeAkeneoFake } from "../packages/testkit/src/fakes/akeneo"
import {
  makeNetSuiteFake,
  signNetSuite,
  type NetSuiteFake,
  type NotificationType
} from "../packages/testkit/src/fakes/netsuite"
import { makePaddleFake, type PaddleFake } from "../packages/testkit/src/fakes/paddle"
import { makeSanityFake, sanityDocumentsFromCatalog } from "../packages/testkit/src/fakes/sanity"
import { makeSapFake, type SapFake } from "../packages/testkit/src/fakes/sap"
import { serve, type Served } from "../packages/testkit/src/fakes/serve"

/** The repository's root folder. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The storefront package. */
export const appDir = path.join(root, "packages", "app-next")

/** Our own small demo catalog. */
export const ownCatalog = path.join(root, "packages", "testkit", "catalog", "demo")

/** The Akeneo demo catalog beside the repository. */
export const sharedCatalog = path.resolve(root, "..", "shared", "catalog", "akeneo-icecat-demo")

/** The NetSuite location the demo's stock sits at. */
export const netSuiteLocation = "1"

/** The SAP plant and storage location the demo's stock sits at. */
export const sapLocation = "1010-0001"

/** A part of the stack could not start. */
export class StackError extends Data.TaggedError("StackError")<{
  readonly step: string
  readonly detail: string
}> {
  override get message(): string {
    return `Could not start the stack (${this.step}): ${this.detail}`
  }
}

/** How to run the stack. */
export interface Options {
  /** The storefront's port; 0 picks a free one. */
  readonly port: number
  /** The Akeneo CSV export that seeds every fake. */
  readonly catalogDir: string
  /** PGlite's data folder; in memory when absent. Ignored when `databaseUrl` is set. */
  readonly dataDir?: string | undefined
  /** A PostgreSQL server to use instead of PGlite. */
  readonly databaseUrl?: string | undefined
  /**
   * Build first: always, only when `.next` is missing or older than the
   * sources, or never (another stack of this run built it; a rebuild would
   * pull `.next` from under its running storefront).
   */
  readonly build: "always" | "whenStale" | "never"
  /** Serve the fakes' control hooks over HTTP on a loopback port (for tests). */
  readonly control?: boolean
  /** Log the storefront's and the build's routine output at debug level only. */
  readonly quiet?: boolean
  /** Environment the storefront gets on top of the stack's own (wins over it). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /**
   * More `next start` instances on the same build, fakes and environment.
   * They share a cache only with `REDIS_URL` set, and our state only with
   * `databaseUrl` (PGlite takes one session, so without it they keep their
   * state in memory).
   */
  readonly replicas?: number
}

/** Where everything listens once the stack is up. */
export interface Running {
  /** The ERP the storefront runs with (`MERCANTILE_ERP`). */
  readonly erp: string
  readonly storefrontUrl: string
  readonly fakes: {
    readonly akeneo: string
    readonly sanity: string
    readonly netsuite: string
    readonly paddle: string
    readonly sap: string
  }
  /** The replicas' URLs (see {@link Options.replicas}). */
  readonly replicaUrls: ReadonlyArray<string>
  /** The control server's URL, when asked for. */
  readonly controlUrl: string | undefined
  readonly databaseUrl: string
  /** The SKUs the ERP fakes price, with their EUR price and stock. */
  readonly items: ReadonlyArray<Item>
}

/** One priced SKU as the ERP fakes hold it. */
export interface Item {
  readonly sku: string
  readonly name: string
  readonly eur: string
  readonly available: number
}

/** A free TCP port on the loopback interface. */
export const freePort: Effect.Effect<number, StackError> = Effect.async((resume) => {
  const server = createServer()
  server.once("error", (error) =>
    resume(Effect.fail(new StackError({ step: "port", detail: String(error) })))
  )
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const secret = (): string => randomBytes(24).toString("hex")

/** The priced SKUs of the catalog, each with its EUR price and deterministic stock. */
export const itemsOf = (catalog: DemoCatalog): ReadonlyArray<Item> =>
  catalog.variants.flatMap((v) => {
    const eur = v.prices["EUR"]
    return eur === undefined ? [] : [{ sku: v.sku, name: v.name, eur, available: stockFor(v.sku) }]
  })

const loadCatalog = (dir: string) =>
  AkeneoCsv.read(dir).pipe(
    Effect.mapError((error) => new StackError({ step: "catalog", detail: error.message })),
    Effect.tap((catalog) =>
      Effect.logInfo("catalog loaded").pipe(
        Effect.annotateLogs({ dir, variants: catalog.variants.length })
      )
    )
  )

const serveScoped = (name: string, app: Parameters<typeof serve>[0], port: number) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => serve(app, port),
      catch: (error) => new StackError({ step: name, detail: String(error) })
    }),
    (served) => Effect.promise(() => served.close()).pipe(Effect.ignore)
  ).pipe(
    Effect.tap((served) =>
      Effect.logInfo(`${name} fake listening`).pipe(Effect.annotateLogs({ url: served.url }))
    )
  )

/** The newest modification time of the files under `dir`, skipping build output and dependencies. */
const newest = (dir: string): number => {
  if (!existsSync(dir)) return 0
  const stat = statSync(dir)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === ".next" || entry === "e2e" || entry === "test")
      continue
    latest = Math.max(latest, newest(path.join(dir, entry)))
  }
  return latest
}

/** Whether `.next` is missing or older than anything the build reads. */
export const buildIsStale = (): boolean => {
  const stamp = path.join(appDir, ".next", "BUILD_ID")
  if (!existsSync(stamp)) return true
  const built = statSync(stamp).mtimeMs
  const sources = [
    appDir,
    path.join(root, "packages", "domain", "src"),
    path.join(root, "packages", "adapters", "src"),
    path.join(root, "packages", "testkit", "src"),
    path.join(root, "pnpm-lock.yaml")
  ]
  return sources.some((source) => newest(source) > built)
}

const nextBin = path.join(appDir, "node_modules", "next", "dist", "bin", "next")

/** The level of a line of a child's output: the storefront's own logfmt level, else by stream. */
const levelOf = (line: string, stderr: boolean): "info" | "warning" | "error" => {
  const level = /\blevel=(\w+)/.exec(line)?.[1]
  if (level === "ERROR" || level === "FATAL") return "error"
  if (level === "WARN" || line.includes("⚠") || (stderr && level === undefined)) return "warning"
  return "info"
}

/** Streams a child's output into the Effect log, one entry per line; info lines at debug when `quiet`. */
const pipeLines = (
  child: ChildProcess,
  name: string,
  runtime: Runtime.Runtime<never>,
  quiet: boolean
) => {
  const log = (stream: NodeJS.ReadableStream | null, stderr: boolean) => {
    let rest = ""
    stream?.setEncoding("utf8")
    stream?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n")
      rest = lines.pop() ?? ""
      for (const line of lines) {
        if (line.trim() === "") continue
        const level = levelOf(line, stderr)
        const entry =
          level === "error"
            ? Effect.logError(line)
            : level === "warning"
              ? Effect.logWarning(line)
              : quiet
                ? Effect.logDebug(line)
                : Effect.logInfo(line)
        Runtime.runFork(runtime)(entry.pipe(Effect.annotateLogs({ process: name })))
      }
    })
  }
  log(child.stdout, false)
  log(child.stderr, true)
}

/** Runs `next build` in the storefront package; its progress is logged at debug level when `quiet`. */
export const build = (quiet = false): Effect.Effect<void, StackError> =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>()
    yield* Effect.logInfo("building the storefront (next build)")
    const started = Date.now()
    yield* Effect.async<void, StackError>((resume) => {
      const child = spawn(process.execPath, [nextBin, "build"], {
        cwd: appDir,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
        stdio: ["ignore", "pipe", "pipe"]
      })
      pipeLines(child, "next build", runtime, quiet)
      child.once("error", (error) =>
        resume(Effect.fail(new StackError({ step: "build", detail: String(error) })))
      )
      child.once("exit", (code) =>
        resume(
          code === 0
            ? Effect.void
            : Effect.fail(
                new StackError({ step: "build", detail: `next build exited with ${code}` })
              )
        )
      )
      return Effect.sync(() => child.kill("SIGTERM"))
    })
    yield* Effect.logInfo("storefront built").pipe(
      Effect.annotateLogs({ seconds: (Date.now() - started) / 1000 })
    )
  })

/** Runs `next start` until the scope closes. */
const nextStart = (port: number, env: Record<string, string>, quiet: boolean) =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>()
    const child = yield* Effect.acquireRelease(
      Effect.sync((): ChildProcess => {
        const child = spawn(
          process.execPath,
          [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
          {
            cwd: appDir,
            env: env as NodeJS.ProcessEnv,
            stdio: ["ignore", "pipe", "pipe"]
          }
        )
        pipeLines(child, "next", runtime, quiet)
        return child
      }),
      (child: ChildProcess) =>
        Effect.async<void>((resume) => {
          if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
          const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
          child.once("exit", () => {
            clearTimeout(timer)
            resume(Effect.void)
          })
          child.kill("SIGTERM")
        })
    )
    return child
  })

/** Waits until the storefront answers its health check. */
const ready = (url: string, child: ChildProcess) =>
  Effect.tryPromise({
    try: async () => {
      if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`)
      const response = await fetch(`${url}/api/health`)
      if (!response.ok)
        throw new Error(`health answered ${response.status}: ${await response.text()}`)
    },
    catch: (error) => new StackError({ step: "storefront", detail: String(error) })
  }).pipe(
    Effect.retry({
      while: () => child.exitCode === null,
      schedule: Schedule.spaced("250 millis").pipe(Schedule.upTo("90 seconds"))
    })
  )

/** Reads a request's JSON body. */
const jsonBody = (request: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    let text = ""
    request.setEncoding("utf8")
    request.on("data", (chunk: string) => (text += chunk))
    request.on("end", () => {
      try {
        resolve(text === "" ? {} : (JSON.parse(text) as Record<string, unknown>))
      } catch (error) {
        reject(error)
      }
    })
    request.on("error", reject)
  })

/**
 * The fakes' control hooks over HTTP, for tests that run in another process:
 * `GET /netsuite/orders`, `POST /netsuite/stock {sku, available}`,
 * `POST /netsuite/price {sku, amount}`,
 * `POST /netsuite/notification {type, data, ts?}` (answers a signed
 * notification, not sent), `POST /netsuite/sign {body, ts?}` (answers the
 * signature header of any body), `GET /paddle/transactions`, `GET /sap/orders`,
 * `POST /sap/stock {sku, available, location?}`, `POST /sap/price {sku, amount}`,
 * `POST /sap/notification {type, data}` (answers an Event Mesh delivery of a
 * CloudEvent with its Basic credentials, not sent).
 */
const controlServer = (fakes: {
  netsuite: NetSuiteFake
  netsuiteSecret: string
  paddle: PaddleFake
  sap: SapFake
  sapWebhook: { username: string; password: string }
}) => {
  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" })
    response.end(JSON.stringify(body))
  }
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const route = `${request.method} ${request.url}`
    switch (route) {
      case "GET /netsuite/orders":
        return answer(response, 200, fakes.netsuite.orders())
      case "POST /netsuite/stock": {
        const body = await jsonBody(request)
        fakes.netsuite.setStock(
          String(body["sku"]),
          String(body["location"] ?? netSuiteLocation),
          Number(body["available"])
        )
        return answer(response, 200, { ok: true })
      }
      case "POST /netsuite/price": {
        const body = await jsonBody(request)
        fakes.netsuite.setPrice(
          String(body["sku"]),
          String(body["currency"] ?? "EUR"),
          String(body["amount"])
        )
        return answer(response, 200, { ok: true })
      }
      case "POST /netsuite/notification": {
        const body = await jsonBody(request)
        const ts = typeof body["ts"] === "number" ? body["ts"] : undefined
        const signed = fakes.netsuite.notification(
          body["type"] as NotificationType,
          body["data"] as Record<string, unknown>,
          ts === undefined ? {} : { ts }
        )
        return answer(response, 200, signed)
      }
      case "POST /netsuite/sign": {
        const body = await jsonBody(request)
        const ts = typeof body["ts"] === "number" ? body["ts"] : Math.floor(Date.now() / 1000)
        const signature = signNetSuite(fakes.netsuiteSecret, String(body["body"]), ts)
        return answer(response, 200, { "x-netsuite-signature": signature })
      }
      case "GET /paddle/transactions":
        return answer(response, 200, fakes.paddle.transactions())
      case "GET /sap/orders":
        return answer(response, 200, fakes.sap.orders())
      case "POST /sap/stock": {
        const body = await jsonBody(request)
        fakes.sap.setStock(
          String(body["sku"]),
          String(body["location"] ?? sapLocation),
          Number(body["available"])
        )
        return answer(response, 200, { ok: true })
      }
      case "POST /sap/price": {
        const body = await jsonBody(request)
        fakes.sap.setPrice(
          String(body["sku"]),
          String(body["currency"] ?? "EUR"),
          String(body["amount"])
        )
        return answer(response, 200, { ok: true })
      }
      case "POST /sap/notification": {
        const body = await jsonBody(request)
        return answer(response, 200, sapNotification(fakes.sapWebhook, body))
      }
      default:
        return answer(response, 404, { error: `no control route ${route}` })
    }
  }
  return Effect.acquireRelease(
    Effect.async<{ url: string; close: () => void }, StackError>((resume) => {
      const server = createHttpServer((request, response) => {
        handle(request, response).catch((error: unknown) =>
          answer(response, 500, { error: String(error) })
        )
      })
      server.once("error", (error) =>
        resume(Effect.fail(new StackError({ step: "control", detail: String(error) })))
      )
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, close: () => server.close() }))
      })
    }),
    (server) => Effect.sync(server.close)
  )
}

/** A CloudEvent as SAP Event Mesh pushes it: Basic credentials, the raw JSON body. */
const sapNotification = (
  credentials: { username: string; password: string },
  request: Record<string, unknown>
) => {
  const type = String(request["type"])
  const event = {
    specversion: "1.0",
    type,
    source: "/default/sap.s4.beh/mercantile-demo",
    id: randomUUID(),
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data: request["data"]
  }
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")
  return {
    headers: { "content-type": "application/cloudevents+json", authorization: `Basic ${basic}` },
    body: JSON.stringify(event)
  }
}

/** Starts the whole stack in the current scope. */
export const run = (options: Options): Effect.Effect<Running, StackError, Scope.Scope> =>
  Effect.gen(function* () {
    const catalog = yield* loadCatalog(options.catalogDir)
    const items = itemsOf(catalog)
    const seedItems = (location: string) =>
      items.map((item) => ({
        sku: item.sku,
        name: item.name,
        prices: { EUR: item.eur },
        stock: [{ location, available: item.available }]
      }))
    const port = options.port === 0 ? yield* freePort : options.port
    const storefrontUrl = `http://127.0.0.1:${port}`

    const creds = {
      netsuite: {
        accountId: "MERCANTILE_DEMO",
        consumerKey: secret(),
        consumerSecret: secret(),
        tokenId: secret(),
        tokenSecret: secret(),
        webhookSecret: secret()
      },
      akeneo: {
        clientId: "mercantile",
        secret: secret(),
        username: "mercantile",
        password: secret()
      },
      sanity: { projectId: "mercantile", dataset: "production", webhookSecret: secret() },
      paddle: { apiKey: `pdl_sdbx_apikey_${secret()}`, webhookSecret: `pdl_ntf_${secret()}` },
      sap: {
        username: "COMM_USER",
        password: secret(),
        webhookUsername: "EVENT_MESH",
        webhookPassword: secret()
      }
    }

    const netsuite = makeNetSuiteFake({ ...creds.netsuite, items: seedItems(netSuiteLocation) })
    const sap = makeSapFake({
      items: seedItems(sapLocation),
      username: creds.sap.username,
      password: creds.sap.password
    })
    const akeneo = makeAkeneoFake({ catalog, ...creds.akeneo })
    const sanity = makeSanityFake({
      documents: sanityDocumentsFromCatalog(catalog),
      dataset: creds.sanity.dataset
    })
    const paddlePort = yield* freePort
    const paddleUrl = `http://127.0.0.1:${paddlePort}`
    const paddle = makePaddleFake({
      ...creds.paddle,
      webhookUrl: `${storefrontUrl}/api/webhooks/paddle`,
      publicUrl: paddleUrl
    })

    const served: Record<string, Served> = {
      akeneo: yield* serveScoped("Akeneo", akeneo.app, 0),
      sanity: yield* serveScoped("Sanity", sanity.app, 0),
      netsuite: yield* serveScoped("NetSuite", netsuite.app, 0),
      paddle: yield* serveScoped("Paddle", paddle.app, paddlePort),
      sap: yield* serveScoped("SAP", sap.app, 0)
    }
    const url = (name: string) => served[name]?.url ?? ""

    if (options.databaseUrl === undefined && options.dataDir !== undefined) {
      mkdirSync(options.dataDir, { recursive: true })
    }
    const database =
      options.databaseUrl === undefined
        ? PgDatabase.servePglite(
            options.dataDir === undefined ? {} : { dataDir: options.dataDir }
          ).pipe(
            Effect.mapError(
              (error) =>
                new StackError({
                  step: "database",
                  detail: `${error.message}: ${String(error.cause)}`
                })
            ),
            Effect.map((db) => db.url)
          )
        : Effect.succeed(options.databaseUrl)
    const building =
      options.build === "always" || (options.build === "whenStale" && buildIsStale())
        ? build(options.quiet === true)
        : Effect.logInfo("storefront build is reused")
    // PGlite's first start (initdb) and the build take the longest: run them side by side.
    const [databaseUrl] = yield* Effect.all([database, building], { concurrency: 2 })

    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      MERCANTILE_ERP: process.env["MERCANTILE_ERP"] ?? "netsuite",
      MERCANTILE_PIM: process.env["MERCANTILE_PIM"] ?? "akeneo",
      MERCANTILE_CMS: process.env["MERCANTILE_CMS"] ?? "sanity",
      MERCANTILE_PAYMENTS: process.env["MERCANTILE_PAYMENTS"] ?? "paddle",
      MERCANTILE_DEMO_CATALOG: options.catalogDir,
      DATABASE_URL: databaseUrl,
      // PGlite takes one session: the storefront holds its only connection.
      DATABASE_POOL_SIZE: options.databaseUrl === undefined ? "1" : "10",
      NETSUITE_BASE_URL: url("netsuite"),
      NETSUITE_ACCOUNT_ID: creds.netsuite.accountId,
      NETSUITE_CONSUMER_KEY: creds.netsuite.consumerKey,
      NETSUITE_CONSUMER_SECRET: creds.netsuite.consumerSecret,
      NETSUITE_TOKEN_ID: creds.netsuite.tokenId,
      NETSUITE_TOKEN_SECRET: creds.netsuite.tokenSecret,
      NETSUITE_WEBHOOK_SECRET: creds.netsuite.webhookSecret,
      NETSUITE_LOCATIONS: netSuiteLocation,
      AKENEO_BASE_URL: url("akeneo"),
      AKENEO_CLIENT_ID: creds.akeneo.clientId,
      AKENEO_SECRET: creds.akeneo.secret,
      AKENEO_USERNAME: creds.akeneo.username,
      AKENEO_PASSWORD: creds.akeneo.password,
      SANITY_BASE_URL: url("sanity"),
      SANITY_PROJECT_ID: creds.sanity.projectId,
      SANITY_DATASET: creds.sanity.dataset,
      SANITY_WEBHOOK_SECRET: creds.sanity.webhookSecret,
      PADDLE_BASE_URL: url("paddle"),
      PADDLE_API_KEY: creds.paddle.apiKey,
      PADDLE_WEBHOOK_SECRET: creds.paddle.webhookSecret,
      PADDLE_CHECKOUT_URL: `${storefrontUrl}/orders/{order_id}`,
      SAP_BASE_URL: url("sap"),
      SAP_USERNAME: creds.sap.username,
      SAP_PASSWORD: creds.sap.password,
      SAP_SALES_ORGANIZATION: "1010",
      SAP_DISTRIBUTION_CHANNEL: "10",
      SAP_DIVISION: "00",
      SAP_SOLD_TO_PARTY: "17100001",
      SAP_PRICES_INCLUDE_TAX: "true",
      SAP_WEBHOOK_USERNAME: creds.sap.webhookUsername,
      SAP_WEBHOOK_PASSWORD: creds.sap.webhookPassword
    }
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name]
      else env[name] = value
    }

    const child = yield* nextStart(port, env, options.quiet === true)
    const replicaUrls = yield* Effect.forEach(
      Array.from({ length: options.replicas ?? 0 }),
      () =>
        Effect.gen(function* () {
          const replicaPort = yield* freePort
          const replicaEnv = { ...env }
          if (options.databaseUrl === undefined) delete replicaEnv["DATABASE_URL"]
          const replica = yield* nextStart(replicaPort, replicaEnv, options.quiet === true)
          const replicaUrl = `http://127.0.0.1:${replicaPort}`
          yield* ready(replicaUrl, replica)
          return replicaUrl
        }),
      { concurrency: "unbounded" }
    )
    yield* ready(storefrontUrl, child)
    const control =
      options.control === true
        ? yield* controlServer({
            netsuite,
            netsuiteSecret: creds.netsuite.webhookSecret,
            paddle,
            sap,
            sapWebhook: { username: creds.sap.webhookUsername, password: creds.sap.webhookPassword }
          })
        : undefined
    yield* Effect.logInfo("storefront ready").pipe(Effect.annotateLogs({ url: storefrontUrl }))

    return {
      erp: env["MERCANTILE_ERP"] ?? "netsuite",
      storefrontUrl,
      replicaUrls,
      fakes: {
        akeneo: url("akeneo"),
        sanity: url("sanity"),
        netsuite: url("netsuite"),
        paddle: url("paddle"),
        sap: url("sap")
      },
      controlUrl: control?.url,
      databaseUrl,
      items
    }
  }).pipe(Effect.withSpan("Stack.run"))
