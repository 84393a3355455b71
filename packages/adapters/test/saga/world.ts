/**
 * What outlives the saga's child process in the crash tests: a PostgreSQL
 * database of its own, the NetSuite and Paddle fakes served on loopback
 * ports, and a relay that holds Paddle's notifications until the child
 * acknowledges them (as Paddle retries a delivery until it gets a 2xx).
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { PgClient } from "@effect/sql-pg"
import { FakeServer, NetSuiteFake, PaddleFake } from "@mercantile/testkit"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { credentials, type Plan } from "./shared"

const here = path.dirname(fileURLToPath(import.meta.url))
const adapters = path.resolve(here, "../..")

/** The PostgreSQL server the tests use. */
export const server = {
  host: process.env["PGHOST"] ?? "127.0.0.1",
  port: Number(process.env["PGPORT"] ?? "5432"),
  user: process.env["PGUSER"] ?? "postgres"
}

const urlOf = (database: string) =>
  `postgres://${server.user}@${server.host}:${server.port}/${database}`

/** A client of `database`, for the parent's checks. */
export const client = (database: string) =>
  Effect.map(
    Layer.build(PgClient.layer({ url: Redacted.make(urlOf(database)), maxConnections: 2 })),
    Context.get(PgClient.PgClient)
  )

/** A fresh database, dropped when the scope closes. */
export const freshDatabase = (name: string): Effect.Effect<string, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const admin = yield* client("postgres").pipe(
      Effect.mapError(
        (cause) =>
          new Error(
            `PostgreSQL at ${server.host}:${server.port} is unreachable; the crash tests need it`,
            { cause }
          )
      )
    )
    yield* admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    yield* admin.unsafe(`CREATE DATABASE ${name}`)
    yield* Effect.addFinalizer(() =>
      admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore)
    )
    return urlOf(name)
  })

/** One notification the relay holds. */
interface Held {
  readonly id: string
  readonly body: string
  acked: boolean
}

/** Paddle's side of delivery: holds notifications, signs each delivery afresh. */
export interface Relay {
  readonly url: string
  /** Every notification received, acknowledged or not. */
  readonly held: () => ReadonlyArray<Held>
  /** Makes every notification due again: Paddle delivering twice. */
  readonly redeliverAll: () => void
  /** Adds a notification as if Paddle had sent it. */
  readonly push: (body: string) => void
}

const readBody = (request: Request) => request.text()

const makeRelay = (secret: string) => {
  const held: Array<Held> = []
  const app = {
    fetch: async (request: Request): Promise<Response> => {
      const url = new URL(request.url)
      if (request.method === "POST" && url.pathname === "/paddle") {
        held.push({ id: String(held.length + 1), body: await readBody(request), acked: false })
        return Response.json({ ok: true })
      }
      if (request.method === "GET" && url.pathname === "/deliveries") {
        const ts = Math.floor(Date.now() / 1000)
        return Response.json(
          held
            .filter((h) => !h.acked)
            .map((h) => ({
              id: h.id,
              body: h.body,
              headers: {
                "content-type": "application/json",
                "paddle-signature": PaddleFake.signPaddle(secret, h.body, ts)
              }
            }))
        )
      }
      const ack = /^\/ack\/(\d+)$/.exec(url.pathname)
      if (request.method === "POST" && ack !== null) {
        const found = held.find((h) => h.id === ack[1])
        if (found !== undefined) found.acked = true
        return Response.json({ ok: found !== undefined }, { status: found ? 200 : 404 })
      }
      return new Response("not found", { status: 404 })
    }
  }
  return { app, held }
}

/** An item of the scenario's catalog. */
export interface Item {
  readonly sku: string
  readonly price: string
  readonly stock: ReadonlyArray<{ readonly location: string; readonly available: number }>
}

/** The fakes of one scenario, served until the scope closes. */
export interface World {
  readonly netsuite: NetSuiteFake.NetSuiteFake
  readonly paddle: PaddleFake.PaddleFake
  readonly relay: Relay
  readonly env: Record<string, string>
  /** Units the ERP had before any order, per SKU. */
  readonly initial: ReadonlyMap<string, number>
  /** Units the ERP has now, per SKU. */
  readonly erpStock: () => ReadonlyMap<string, number>
}

/** The cart an order id was made from (`ord-<cart>-v<version>`). */
const cartOf = (orderId: string) => orderId.replace(/^ord-/, "").replace(/-v\d+$/, "")

/**
 * Serves the fakes. NetSuite takes a sales order's units off its stock, in
 * location order, as a warehouse would: our ledger then sees the sale in the
 * ERP's figures and must stop counting its own promise of the same units.
 */
export const world = (
  items: ReadonlyArray<Item>,
  plan: Plan
): Effect.Effect<World, never, Scope.Scope> =>
  Effect.gen(function* () {
    const stock = new Map(
      items.map((item) => [item.sku, item.stock.map((s) => ({ ...s }))] as const)
    )
    const netsuite = NetSuiteFake.makeNetSuiteFake({
      ...credentials.netsuite,
      items: items.map((item) => ({
        sku: item.sku,
        name: item.sku,
        prices: { EUR: item.price },
        stock: item.stock
      }))
    })
    const applied = new Set<string>()
    const takeSales = () => {
      for (const order of netsuite.orders()) {
        if (applied.has(order.id) || order.externalId === undefined) continue
        applied.add(order.id)
        const cart = plan.carts.find((c) => c.id === cartOf(order.externalId!))
        for (const line of cart?.lines ?? []) {
          let left = line.quantity
          for (const level of stock.get(line.sku) ?? []) {
            const take = Math.min(left, level.available)
            level.available -= take
            left -= take
            netsuite.setStock(line.sku, level.location, level.available)
          }
        }
      }
    }
    const erpApp = {
      fetch: async (request: Request) => {
        takeSales()
        const response = await netsuite.app.fetch(request)
        takeSales()
        return response
      }
    }

    const relayState = makeRelay(credentials.paddle.webhookSecret)
    const serve = (app: { fetch: (r: Request) => Response | Promise<Response> }) =>
      Effect.acquireRelease(
        Effect.promise(() => FakeServer.serve(app, 0)),
        (served) => Effect.promise(() => served.close()).pipe(Effect.ignore)
      )
    const relayServed = yield* serve(relayState.app)
    const erpServed = yield* serve(erpApp)

    // The Paddle fake needs its own URL for pay links: serve a forwarder first.
    const late: { paddle?: PaddleFake.PaddleFake } = {}
    const paddleServed = yield* serve({
      fetch: (request: Request) =>
        late.paddle === undefined
          ? new Response("starting", { status: 503 })
          : late.paddle.app.fetch(request)
    })
    const paddle = PaddleFake.makePaddleFake({
      ...credentials.paddle,
      webhookUrl: `${relayServed.url}/paddle`,
      publicUrl: paddleServed.url
    })
    late.paddle = paddle

    const relay: Relay = {
      url: relayServed.url,
      held: () => relayState.held.map((h) => ({ ...h })),
      redeliverAll: () => {
        for (const h of relayState.held) h.acked = false
      },
      push: (body) => {
        relayState.held.push({ id: String(relayState.held.length + 1), body, acked: false })
      }
    }

    const totals = () =>
      new Map([...stock].map(([sku, levels]) => [sku, levels.reduce((a, l) => a + l.available, 0)]))
    return {
      netsuite,
      paddle,
      relay,
      initial: totals(),
      erpStock: totals,
      env: {
        NETSUITE_URL: erpServed.url,
        PADDLE_URL: paddleServed.url,
        RELAY_URL: relayServed.url,
        SAGA_PLAN: JSON.stringify(plan)
      }
    }
  })

/** How one life of the child ended. */
export interface Life {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly steps: ReadonlyArray<string>
  readonly done: boolean
  /** Killed by the parent because it ran too long: not a planned crash. */
  readonly timedOut: boolean
  readonly stderr: string
}

/** Runs the child once, to its end or its crash; kills it after `timeoutMs`. */
export const life = (env: Record<string, string>, timeoutMs = 90_000): Effect.Effect<Life> =>
  Effect.async<Life>((resume) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "child.ts")], {
      cwd: adapters,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const started = Date.now()
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString().replace(/^STEP (.*)$/gm, `STEP $1 +${Date.now() - started}ms`)
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, timeoutMs)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      const lines = stdout.split("\n")
      resume(
        Effect.succeed({
          code,
          signal,
          steps: lines.filter((l) => l.startsWith("STEP ")).map((l) => l.slice(5)),
          done: lines.includes("DONE"),
          timedOut,
          stderr
        })
      )
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })
