/**
 * Serves a vendor fake over real HTTP, for the running storefront.
 *
 * @since 0.1.0
 */
import { serve as listen } from "@hono/node-server"
import type { FetchApp } from "./msw"

/** A fake listening on a local port. */
export interface Served {
  readonly url: string
  readonly port: number
  readonly close: () => Promise<void>
}

/** Listens on `port` (0 picks a free one) on the loopback interface. */
export const serve = (app: FetchApp, port: number, hostname = "127.0.0.1"): Promise<Served> =>
  new Promise((resolve) => {
    const server = listen({ fetch: app.fetch, port, hostname }, (info) =>
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) =>
            server.close((error) => (error === undefined ? done() : fail(error)))
          )
      })
    )
  })
