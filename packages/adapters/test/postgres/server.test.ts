/**
 * The store contracts against a real PostgreSQL server, each suite in a
 * fresh schema, through a pool of 8 connections so the C6 races truly race.
 *
 * The server is `DATABASE_URL`, or the local test database. When it cannot
 * be reached the suite fails, unless `MERCANTILE_SKIP_PG_SERVER=1` is set
 * outside CI, in which case one test records the skip.
 */
import { assert, it } from "@effect/vitest"
import { PgClient } from "@effect/sql-pg"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stores from "../../../testkit/src/contracts/Stores"
import * as PgDatabase from "../../src/postgres/PgDatabase"
import * as PgStores from "../../src/postgres/PgStores"

const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const skipAllowed = process.env.MERCANTILE_SKIP_PG_SERVER === "1" && !process.env.CI

const admin = PgClient.layer({
  url: Redacted.make(url),
  maxConnections: 1,
  connectTimeout: "5 seconds"
})

const reachable = await Effect.runPromise(
  Effect.flatMap(PgClient.PgClient, (sql) => sql`SELECT 1`).pipe(
    Effect.provide(admin),
    Effect.as(undefined),
    Effect.catchAll((error) => Effect.succeed(error.message))
  )
)

/** A connection URL whose sessions use `schema` first. */
const inSchema = (schema: string) => {
  const target = new URL(url)
  target.searchParams.set("options", `-c search_path=${schema}`)
  return target.toString()
}

/** The stores over a schema made for this suite and dropped after it. */
const server = () =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const sql = yield* PgClient.PgClient
      const schema = `mercantile_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`
      yield* Effect.acquireRelease(sql`CREATE SCHEMA ${sql(schema)}`, () =>
        Effect.orDie(sql`DROP SCHEMA ${sql(schema)} CASCADE`)
      )
      return PgStores.layer.pipe(
        Layer.provide(PgDatabase.layer({ url: Redacted.make(inSchema(schema)), maxConnections: 8 }))
      )
    })
  ).pipe(Layer.provide(admin))

if (reachable === undefined) {
  Stores.cartStoreContract(server())
  Stores.orderStoreContract(server())
  Stores.inboxContract(server())
  Stores.outboxContract(server())
  Stores.transactorContract(server())
  Stores.inventoryContract(server())
} else if (skipAllowed) {
  it("PostgreSQL server unreachable: skipped by MERCANTILE_SKIP_PG_SERVER=1", () => {
    assert.strictEqual(process.env.MERCANTILE_SKIP_PG_SERVER, "1")
  })
} else {
  it(`reaches the PostgreSQL server at ${new URL(url).host}`, () => {
    assert.fail(
      `Cannot reach PostgreSQL (${reachable}); set MERCANTILE_SKIP_PG_SERVER=1 to skip locally`
    )
  })
}
