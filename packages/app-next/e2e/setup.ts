/**
 * The end-to-end suite's global setup: builds the storefront when needed and
 * starts the whole stack exactly as `npm start` does (`scripts/stack.ts`),
 * on free ports, with an in-memory PGlite, seeded from the Akeneo demo
 * catalog in `../shared` (required under CI) or else the project's own.
 *
 * Two stacks run on the one build: the NetSuite storefront every suite
 * uses, and a SAP one (`MERCANTILE_ERP=sap`) for the journey alone.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { existsSync } from "node:fs"
import type { TestProject } from "vitest/node"
import * as Stack from "../../../scripts/stack"

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the running stack listens (NetSuite as the ERP). */
    readonly stack: Stack.Running
    /** The same storefront build with SAP as the ERP, for the journey. */
    readonly sapStack: Stack.Running
    /** Whether the stack was seeded from the Akeneo demo catalog. */
    readonly sharedCatalog: boolean
  }
}

const isCi = (): boolean => {
  const ci = process.env["CI"]
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0"
}

/** Starts the stack; the returned function stops it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = existsSync(Stack.sharedCatalog)
  if (!shared && isCi()) {
    throw new Error(
      `The Akeneo demo catalog is missing at ${Stack.sharedCatalog}; CI needs ../shared`
    )
  }
  const scope = Effect.runSync(Scope.make())
  const started = Date.now()
  const start = (erp: "netsuite" | "sap") =>
    Stack.run({
      port: 0,
      catalogDir: shared ? Stack.sharedCatalog : Stack.ownCatalog,
      build: erp === "netsuite" ? "whenStale" : "never",
      control: true,
      quiet: true,
      // Next's own in-memory cache, whatever the shell says; `shared-cache.test.ts` runs Redis.
      env: { MERCANTILE_ERP: erp, MERCANTILE_OUTBOX_EVERY: "250 millis", REDIS_URL: undefined }
    })
  // One build: the first stack makes it when stale, the second reuses it.
  const [running, sap] = await Effect.runPromise(
    Effect.all([start("netsuite"), start("sap")]).pipe(Scope.extend(scope))
  )
  await Effect.runPromise(
    Effect.logInfo("e2e stack ready").pipe(
      Effect.annotateLogs({
        seconds: (Date.now() - started) / 1000,
        url: running.storefrontUrl,
        sap: sap.storefrontUrl
      })
    )
  )
  project.provide("stack", running)
  project.provide("sapStack", sap)
  project.provide("sharedCatalog", shared)
  return () => Effect.runPromise(Scope.close(scope, Exit.void))
}
