/**
 * Serves a vendor fake through msw, so that an adapter's real `fetch` calls
 * reach the fake in tests without a port.
 *
 * ```ts
 * const server = Msw.layer(...Msw.toMswHandlers("https://netsuite.test", fake.app))
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { http, type RequestHandler } from "msw"
import { setupServer } from "msw/node"

export { http, HttpResponse } from "msw"

/** Anything that answers a `Request` (a `hono` app). */
export interface FetchApp {
  readonly fetch: (request: Request) => Response | Promise<Response>
}

/** Routes every request under `baseUrl` to `app`. */
export const toMswHandlers = (baseUrl: string, app: FetchApp): Array<RequestHandler> => [
  http.all(`${baseUrl.replace(/\/+$/, "")}/*`, ({ request }) => app.fetch(request))
]

/** An msw server listening for the life of the layer; unmatched requests are errors. */
export const layer = (...handlers: ReadonlyArray<RequestHandler>): Layer.Layer<never> =>
  Layer.scopedDiscard(
    Effect.acquireRelease(
      Effect.sync(() => {
        const server = setupServer(...handlers)
        server.listen({ onUnhandledRequest: "error" })
        return server
      }),
      (server) => Effect.sync(() => server.close())
    )
  )
