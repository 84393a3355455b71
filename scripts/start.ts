/**
 * `npm start`: the demo storefront on this machine, with nothing to set up.
 *
 * Starts the vendor fakes seeded from the demo catalog
 * (`MERCANTILE_DEMO_CATALOG`, else the project's own), the embedded
 * PostgreSQL in `.mercantile/pgdata` (unless `DATABASE_URL` names a server),
 * builds the storefront when needed, and serves it on `PORT` (3000).
 * Ctrl-C stops everything.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as path from "node:path"
import * as Stack from "./stack"

const options = Config.all({
  port: Config.port("PORT").pipe(Config.withDefault(3000)),
  catalogDir: Config.string("MERCANTILE_DEMO_CATALOG").pipe(Config.withDefault(Stack.ownCatalog)),
  databaseUrl: Config.option(Config.string("DATABASE_URL"))
})

const program = Effect.gen(function* () {
  const config = yield* options
  const running = yield* Stack.run({
    port: config.port,
    catalogDir: path.resolve(config.catalogDir),
    dataDir: path.join(Stack.root, ".mercantile", "pgdata"),
    databaseUrl: Option.getOrUndefined(config.databaseUrl),
    build: "whenStale"
  })
  yield* Effect.logInfo(`Mercantile is open at ${running.storefrontUrl} (Ctrl-C stops it)`).pipe(
    Effect.annotateLogs({
      fakes: Object.values(running.fakes).join(" "),
      skus: running.items.length
    })
  )
  return yield* Effect.never
}).pipe(Effect.scoped)

const fiber = Effect.runFork(
  program.pipe(
    Effect.tapErrorCause((cause) => Effect.logError("Mercantile could not start", cause)),
    Effect.provide(Logger.pretty)
  )
)

const stop = () => {
  Effect.runFork(Fiber.interrupt(fiber))
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)

fiber.addObserver((exit) => {
  process.exitCode = Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause) ? 0 : 1
})
