/**
 * Reservations on one hot SKU, 32 clients at once, on a real PostgreSQL:
 * our `Inventory.reserve` (through `@effect/sql-pg`, a pool of 32) beside a
 * bare conditional `UPDATE … WHERE erp_available - promised >= 1` loop on
 * the same pool and the same table, for the same time.
 *
 * ```sh
 * cd packages/adapters && npx tsx bench/reserve.ts
 * ```
 *
 * `DATABASE_ADMIN_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
 * is where a scratch database is created and dropped; `BENCH_SECONDS`
 * (default 10) and `BENCH_WARMUP_SECONDS` (default 2) set each phase. The
 * last line is `ratio: ours/raw = …`.
 */
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import { Ids } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as PgDatabase from "../src/postgres/PgDatabase"
import * as PgInventory from "../src/postgres/PgInventory"

const clients = 32
const seconds = Number(process.env["BENCH_SECONDS"] ?? "10")
const warmupSeconds = Number(process.env["BENCH_WARMUP_SECONDS"] ?? "2")
const stock = 100_000_000
const adminUrl = process.env["DATABASE_ADMIN_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"
const database = `mercantile_bench_${process.pid}`
const benchUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).href

const say = (line: string) => Effect.sync(() => process.stdout.write(`${line}\n`))

/** Builds a client of `url` for the current scope. */
const connect = (url: string, maxConnections: number) =>
  Effect.map(
    Layer.build(PgClient.layer({ url: Redacted.make(url), maxConnections })),
    Context.get(PgClient.PgClient)
  )

/** A scratch database, dropped when the scope closes. */
const scratch = Effect.gen(function* () {
  const admin = yield* connect(adminUrl, 1)
  yield* admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  yield* admin.unsafe(`CREATE DATABASE ${database}`)
  yield* Effect.addFinalizer(() =>
    admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).pipe(Effect.ignore)
  )
})

interface Phase {
  readonly name: string
  /** Successes in the measured window, per second. */
  readonly rate: number
  /** Every success, warm-up included. */
  readonly successes: number
  readonly refused: number
}

/**
 * Runs `attempt` in `clients` loops for the warm-up and then the measured
 * window; each loop stops at the deadline (its last call finishes first).
 */
const phase = <E, R>(
  name: string,
  attempt: (client: number, n: number) => Effect.Effect<boolean, E, R>
) =>
  Effect.gen(function* () {
    let successes = 0
    let refused = 0
    let atWindowStart = 0
    const start = Date.now()
    const windowStart = start + warmupSeconds * 1000
    const deadline = windowStart + seconds * 1000
    let atDeadline: number | undefined

    const loop = (client: number) =>
      Effect.gen(function* () {
        for (let n = 0; Date.now() < deadline; n++) {
          const ok = yield* attempt(client, n)
          if (ok) successes++
          else refused++
        }
      })
    const marks = Effect.gen(function* () {
      yield* Effect.sleep(windowStart - Date.now())
      atWindowStart = successes
      yield* Effect.sleep(deadline - Date.now())
      atDeadline = successes
    })

    yield* Effect.all([marks, Effect.forEach(range(clients), loop, { concurrency: "unbounded" })], {
      concurrency: "unbounded",
      discard: true
    })
    const rate = ((atDeadline ?? successes) - atWindowStart) / seconds
    return { name, rate, successes, refused } satisfies Phase
  })

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

/** Zero oversell: nothing promised beyond the stock, and one promised unit per success. */
const audit = (sku: string, result: Phase, reservations: boolean) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ erp_available: number; promised: number; held: number }>`
      SELECT erp_available, promised,
        (SELECT COALESCE(sum(quantity), 0)::int FROM reservations
          WHERE sku = ${sku} AND status = 'Held') AS held
      FROM stock WHERE sku = ${sku}`
    if (row === undefined) return yield* Effect.dieMessage(`no stock row for ${sku}`)
    const ok =
      row.promised <= row.erp_available &&
      row.promised === result.successes &&
      (!reservations || row.held === row.promised)
    yield* say(
      `${result.name}: ${result.rate.toFixed(0)} reservations/s ` +
        `(${result.successes} in all, ${result.refused} refused); ` +
        `oversell check: promised ${row.promised} <= erp_available ${row.erp_available}, ` +
        `successes ${result.successes} = promised ${row.promised}` +
        (reservations ? `, held rows ${row.held}` : "") +
        ` -> ${ok ? "OK" : "FAILED"}`
    )
    return ok
  })

const main = Effect.gen(function* () {
  yield* scratch
  const env = yield* Layer.build(
    PgDatabase.layer({ url: Redacted.make(benchUrl), maxConnections: clients })
  )
  const sql = Context.get(env, SqlClient.SqlClient)
  const inventory = yield* PgInventory.make().pipe(Effect.provide(env))

  const ours = Ids.Sku.make("HOT-OURS")
  const raw = Ids.Sku.make("HOT-RAW")
  const location = Ids.LocationId.make("1")
  yield* inventory.recordStock([
    { sku: ours, locationId: location, available: stock },
    { sku: raw, locationId: location, available: stock }
  ])
  yield* say(
    `PostgreSQL ${database}: ${clients} clients, one hot SKU, ` +
      `${warmupSeconds} s warm-up + ${seconds} s per phase`
  )

  const hold = 15 * 60 * 1000
  const oursPhase = yield* phase("ours (Inventory.reserve)", (client, n) =>
    Effect.suspend(() => {
      const now = new Date()
      return inventory.reserve({
        cartId: Ids.CartId.make(`bench-${client}-${n}`),
        lines: [{ sku: ours, quantity: 1 }],
        now,
        expiresAt: new Date(now.getTime() + hold)
      })
    }).pipe(
      Effect.as(true),
      Effect.catchTag("OutOfStock", () => Effect.succeed(false))
    )
  )
  const oursOk = yield* audit(ours, oursPhase, true).pipe(Effect.provide(env))

  const rawPhase = yield* phase("raw (conditional UPDATE)", () =>
    Effect.map(
      sql`UPDATE stock SET promised = promised + 1
          WHERE sku = ${raw} AND erp_available - promised >= 1
          RETURNING 1`,
      (rows) => rows.length === 1
    )
  )
  const rawOk = yield* audit(raw, rawPhase, false).pipe(Effect.provide(env))

  if (!oursOk || !rawOk) process.exitCode = 1
  yield* say(`ratio: ours/raw = ${(oursPhase.rate / rawPhase.rate).toFixed(2)}`)
})

main
  .pipe(
    Effect.scoped,
    Effect.provide(
      Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))
    ),
    Logger.withMinimumLogLevel(LogLevel.Warning),
    Effect.tapErrorCause((cause) => Effect.logError("benchmark failed", cause)),
    Effect.runPromiseExit
  )
  .then((exit) => {
    if (exit._tag === "Failure") process.exitCode = 1
  })
