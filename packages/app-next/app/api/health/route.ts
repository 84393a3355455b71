/**
 * The health check: 200 once the storefront's services are built (database
 * connected and migrated, adapters configured), 503 otherwise.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { connection } from "next/server"
import { StorefrontWiring } from "../../../src/AppLayer"
import { runExit } from "../../../src/runtime"

/** Answers whether the storefront can serve. */
export async function GET(): Promise<Response> {
  await connection()
  const exit = await runExit(Effect.map(StorefrontWiring, (wiring) => wiring))
  return Exit.isSuccess(exit)
    ? Response.json({ ok: true, wiring: exit.value })
    : Response.json({ ok: false }, { status: 503 })
}
