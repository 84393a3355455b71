/**
 * Where the stores' PostgreSQL comes from: a server at `DATABASE_URL`, or
 * an embedded PGlite served on a loopback port. Either way the store
 * migrations run before the layer is ready.
 *
 * ```ts
 * const Stores = PgStores.layer.pipe(Layer.provide(PgDatabase.layerPglite()))
 * ```
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import type * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import Stores0001 from "./migrations/0001_stores"
import Reserve0002 from "./migrations/0002_reserve"

/** The store migrations, in order. */
export const loader: Migrator.Loader = Migrator.fromRecord({
  "0001_stores": Stores0001,
  "0002_reserve": Reserve0002
})

/** The table that records which migrations ran. */
export const migrationsTable = "mercantile_migrations"

/**
 * Runs the store migrations that have not run yet. This is the generic
 * `@effect/sql` migrator: `PgMigrator` adds only a `pg_dump` of the schema,
 * which would need a shell and `pg_dump` on every machine.
 */
export const migrate: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError,
  SqlClient.SqlClient
> = Migrator.make({})({ loader, table: migrationsTable }).pipe(
  Effect.tap((ran) =>
    ran.length === 0
      ? Effect.void
      : Effect.logInfo("Store migrations ran").pipe(
          Effect.annotateLogs({ migrations: ran.map(([id, name]) => `${id}_${name}`).join(",") })
        )
  ),
  Effect.withSpan("PgDatabase.migrate")
)

/** Connection settings for {@link layer}. */
export type Options = PgClient.PgClientConfig

/** The failure of a database layer. */
export type LayerError = SqlError | Migrator.MigrationError

/** A `PgClient` (and `SqlClient`) with the store migrations applied. */
export const layer = (
  options: Options
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, LayerError> =>
  Layer.effectDiscard(migrate).pipe(Layer.provideMerge(PgClient.layer(options)))

/**
 * A PostgreSQL server at `DATABASE_URL` (a secret), with a pool of
 * `DATABASE_POOL_SIZE` connections (10 unless set); migrations applied.
 */
export const layerConfig: Layer.Layer<
  PgClient.PgClient | SqlClient.SqlClient,
  LayerError | ConfigError.ConfigError
> = Layer.effectDiscard(migrate).pipe(
  Layer.provideMerge(
    PgClient.layerConfig({
      url: Config.redacted("DATABASE_URL"),
      maxConnections: Config.integer("DATABASE_POOL_SIZE").pipe(Config.withDefault(10))
    })
  )
)

/** Where a PGlite socket server listens. */
export interface Served {
  readonly host: string
  readonly port: number
  /** A connection URL for any PostgreSQL client (one connection at a time). */
  readonly url: string
}

/** How to serve PGlite. */
export interface ServeOptions {
  /** The TCP port; 0 (the default) lets the system pick a free one. */
  readonly port?: number
  /** The loopback address to bind (default 127.0.0.1). */
  readonly host?: string
  /** A directory that keeps the data across restarts; in memory when absent. */
  readonly dataDir?: string
}

const failed = (message: string) => (cause: unknown) => new SqlError({ message, cause })

/**
 * A freshly initialised PGlite data directory. Creating a PGlite runs
 * `initdb`, which takes seconds; every further in-memory database of this
 * process starts from this copy instead.
 */
let template: Promise<Blob> | undefined

const openPglite = async (dataDir: string | undefined): Promise<PGlite> => {
  if (dataDir !== undefined) return PGlite.create(dataDir)
  const cached = template
  if (cached !== undefined) {
    const loadDataDir = await cached.catch(() => undefined)
    if (loadDataDir !== undefined) return PGlite.create({ loadDataDir })
  }
  const db = await PGlite.create()
  if (template === undefined) {
    const dump = db.dumpDataDir("none")
    template = dump
    await dump.catch(() => {
      template = undefined
    })
  }
  return db
}

/**
 * Runs PGlite behind a PostgreSQL socket server for as long as the scope is
 * open, then stops it and closes the database. PGlite is one backend
 * session, so the server takes one connection at a time: connect with a
 * pool of one.
 */
export const servePglite = (
  options: ServeOptions = {}
): Effect.Effect<Served, SqlError, Scope.Scope> =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => openPglite(options.dataDir),
        catch: failed("PGlite: could not open the database")
      }),
      (db) => Effect.promise(() => db.close()).pipe(Effect.ignore)
    )
    const server = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const server = new PGLiteSocketServer({
            db,
            host: options.host ?? "127.0.0.1",
            port: options.port ?? 0,
            maxConnections: 1
          })
          await server.start()
          return server
        },
        catch: failed("PGlite: could not start the socket server")
      }),
      (server) => Effect.promise(() => server.stop()).pipe(Effect.ignore)
    )

    const address = server.getServerConn()
    const colon = address.lastIndexOf(":")
    const host = address.slice(0, colon)
    const port = Number(address.slice(colon + 1))
    yield* Effect.logInfo("PGlite serving").pipe(
      Effect.annotateLogs({ host, port, data_dir: options.dataDir ?? "memory" })
    )
    return { host, port, url: `postgres://postgres@${host}:${port}/postgres` }
  }).pipe(Effect.withSpan("PgDatabase.servePglite"))

/**
 * An embedded PGlite, served on a loopback port for this layer's lifetime,
 * with a `PgClient` pool of one connected to it and the migrations applied.
 */
export const layerPglite = (
  options: Omit<ServeOptions, "host"> = {}
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, LayerError> =>
  Layer.unwrapScoped(
    Effect.map(servePglite(options), (served) =>
      layer({
        host: served.host,
        port: served.port,
        username: "postgres",
        database: "postgres",
        maxConnections: 1,
        idleTimeout: Duration.zero
      })
    )
  )
