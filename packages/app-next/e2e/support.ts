/**
 * Helpers of the end-to-end suite: the browser, the fakes' control hooks,
 * reading the storefront's HTML.
 *
 * @since 0.1.0
 */
import { Money } from "@mercantile/domain"
import * as Either from "effect/Either"
import { mkdirSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium, type BrowserContext } from "playwright-core"

/** Where each step's screenshot is saved (git ignores it). */
export const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), "screenshots")

/** Debian's Chromium, driven headless with a fresh profile. */
export const launch = async (): Promise<BrowserContext> => {
  mkdirSync(screenshots, { recursive: true })
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "mercantile-e2e-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ],
    viewport: { width: 1280, height: 800 }
  })
}

/** A EUR decimal as the storefront shows it ("€499.00"). */
export const eur = (decimal: string): string =>
  Money.format(Either.getOrThrow(Money.fromDecimal("EUR", decimal)))

/** Calls one of the stack's control routes and answers its JSON. */
export const control = async <A>(
  controlUrl: string | undefined,
  method: "GET" | "POST",
  route: string,
  body?: unknown
): Promise<A> => {
  if (controlUrl === undefined) throw new Error("the stack was started without its control server")
  const response = await fetch(`${controlUrl}${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
  })
  if (!response.ok) throw new Error(`control ${route} answered ${response.status}`)
  return (await response.json()) as A
}

/** The text of the first element with this `data-testid`, in raw HTML. */
export const testId = (html: string, id: string): string | undefined => {
  const match = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)
  return match?.[1] === undefined ? undefined : unescape(match[1])
}

/** The value of an attribute of the first element with this `data-testid`, in raw HTML. */
export const testIdAttribute = (html: string, id: string, attribute: string): string | undefined =>
  new RegExp(`data-testid="${id}"[^>]*?${attribute}="([^"]*)"`).exec(html)?.[1] ??
  new RegExp(`${attribute}="([^"]*)"[^>]*?data-testid="${id}"`).exec(html)?.[1]

/** Undoes React's HTML escaping. */
export const unescape = (text: string): string =>
  text
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")

/** A product page's path. */
export const productPath = (sku: string): string => `/products/${encodeURIComponent(sku)}`
