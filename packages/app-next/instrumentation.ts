/**
 * Starts the storefront's background work (outbox worker, reservation
 * sweeper) when the Node.js server starts; never during `next build`.
 *
 * @since 0.1.0
 */

/** Called once when the server starts. */
export async function register(): Promise<void> {
  if (process.env["NEXT_RUNTIME"] !== "nodejs") return
  if (process.env["NEXT_PHASE"] === "phase-production-build") return
  const background = await import("./src/Background")
  await background.start()
}
