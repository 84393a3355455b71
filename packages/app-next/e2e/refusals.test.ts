/**
 * Bad input over HTTP: unknown SKUs, quantities out of range, a price
 * smuggled into a Server Action's form, and webhooks with a missing, wrong
 * or stale signature or a malformed body. Each is refused with a reason and
 * writes nothing.
 */
import { describe, expect, inject, it } from "vitest"
import { control, eur, productPath, testId, testIdAttribute, unescape } from "./support"

const stack = inject("stack")
const base = stack.storefrontUrl
const item = stack.items[stack.items.length - 1]!

interface Outcome {
  readonly status: number
  readonly cookie: string | undefined
  readonly ok: string | undefined
  readonly error: string | undefined
  readonly errorTag: string | undefined
}

/** The fields of a form as a browser without JavaScript posts them (React's hidden action fields included). */
const formFields = (html: string, testid: string): FormData => {
  const form =
    new RegExp(`<form[^>]*data-testid="${testid}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1] ?? ""
  const data = new FormData()
  for (const input of form.matchAll(
    /<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g
  )) {
    data.append(input[1]!, unescape(input[2] ?? ""))
  }
  return data
}

/** Posts the product page's add-to-cart form, with `fields` set on top of the page's own. */
const addToCart = async (fields: Record<string, string>, cookie?: string): Promise<Outcome> => {
  const page = await (await fetch(`${base}${productPath(item.sku)}`)).text()
  const data = formFields(page, "add-to-cart-form")
  for (const [name, value] of Object.entries(fields)) data.set(name, value)
  const response = await fetch(`${base}${productPath(item.sku)}`, {
    method: "POST",
    body: data,
    headers: { origin: base, ...(cookie === undefined ? {} : { cookie }) }
  })
  const html = await response.text()
  return {
    status: response.status,
    cookie: response.headers.get("set-cookie")?.split(";")[0],
    ok: testId(html, "action-ok"),
    error: testId(html, "action-error"),
    errorTag: testIdAttribute(html, "action-error", "data-error")
  }
}

const cartQuantity = async (cookie: string): Promise<string | undefined> => {
  const html = await (await fetch(`${base}/cart`, { headers: { cookie } })).text()
  return testId(html, "line-quantity-shown")
}

describe("Server Action input", () => {
  it("adds a valid line and sets the cart cookie", async () => {
    const outcome = await addToCart({ sku: item.sku, quantity: "1" })
    expect(outcome.ok).toContain(item.sku)
    expect(outcome.cookie).toMatch(/^mercantile_cart=cart-/)
  })

  it.each([
    ["0", "quantity: A quantity is a whole number from 1 to 999"],
    ["-1", "quantity: A quantity is a whole number from 1 to 999"],
    ["1000000000", "quantity: A quantity is a whole number from 1 to 999"],
    ["two", "quantity"]
  ])("refuses quantity %s and writes nothing", async (quantity, message) => {
    const outcome = await addToCart({ sku: item.sku, quantity })
    expect(outcome.errorTag).toBe("InvalidInput")
    expect(outcome.error).toContain(message)
    expect(outcome.cookie).toBeUndefined()
  })

  it("refuses an unknown SKU and creates no cart", async () => {
    const outcome = await addToCart({ sku: "NO-SUCH-SKU-42", quantity: "1" })
    expect(outcome.errorTag).toBe("UnknownSku")
    expect(outcome.error).toBe("No product with SKU NO-SUCH-SKU-42")
    expect(outcome.cookie).toBeUndefined()
  })

  it("refuses a smuggled price and leaves the cart as it was", async () => {
    const first = await addToCart({ sku: item.sku, quantity: "1" })
    const cookie = first.cookie ?? ""
    expect(await cartQuantity(cookie)).toBe("1")

    const smuggled = await addToCart({ sku: item.sku, quantity: "5", price: "0.01" }, cookie)
    expect(smuggled.errorTag).toBe("InvalidInput")
    expect(smuggled.error).toBe("price: this field is not accepted")
    expect(await cartQuantity(cookie)).toBe("1")
  })

  it("answers an unknown SKU's page with Next's not-found fallback", async () => {
    const html = await (await fetch(`${base}${productPath("NO-SUCH-SKU-42")}`)).text()
    // The page streams, so the 404 travels in the stream (the status line was sent with the shell).
    expect(html).toContain("NEXT_HTTP_ERROR_FALLBACK;404")
    expect(html).toContain('<meta name="robots" content="noindex"/>')
    expect(html).toContain("<title>Product not found · Mercantile</title>")
    expect(html).not.toContain('data-testid="product-name"')
  })
})

describe("checkout", () => {
  const postCheckout = (html: string, cookie: string) =>
    fetch(`${base}/cart`, {
      method: "POST",
      body: formFields(html, "checkout-form"),
      headers: { origin: base, cookie },
      redirect: "manual"
    })

  it("stops at a moved price, shows the new total and goes on once it is confirmed", async () => {
    const cookie = (await addToCart({ sku: item.sku, quantity: "1" })).cookie ?? ""
    const cart = await (await fetch(`${base}/cart`, { headers: { cookie } })).text()
    expect(testIdAttribute(cart, "cart-total", "data-amount")).toBe(Number(item.eur).toFixed(2))

    const moved = (Number(item.eur) + 10).toFixed(2)
    await control(stack.controlUrl, "POST", "/netsuite/price", { sku: item.sku, amount: moved })
    try {
      const stopped = await postCheckout(cart, cookie)
      const answer = await stopped.text()
      expect(stopped.status).toBe(200)
      expect(testId(answer, "price-moved")).toBe(
        `The total changed from ${eur(Number(item.eur).toFixed(2))} to ${eur(moved)}. Please confirm the new total.`
      )
      expect(testId(answer, "checkout")).toBe(`Confirm ${eur(moved)} and pay`)

      const confirmed = await postCheckout(answer, cookie)
      expect(confirmed.status).toBe(303)
      expect(confirmed.headers.get("location")).toMatch(new RegExp(`^${stack.fakes.paddle}/pay/`))
    } finally {
      await control(stack.controlUrl, "POST", "/netsuite/price", {
        sku: item.sku,
        amount: item.eur
      })
    }
  })
})

describe("webhooks", () => {
  // A SKU no other test here holds stock of: the page shows the ERP's figure less our holds.
  const target = stack.items[stack.items.length - 2]!

  const stockEvent = async (available: number, options: { eventId?: string; ts?: number } = {}) =>
    control<{ headers: Record<string, string>; body: string }>(
      stack.controlUrl,
      "POST",
      "/netsuite/notification",
      {
        type: "inventory.changed",
        data: { sku: target.sku, location: "1", available },
        ...(options.ts === undefined ? {} : { ts: options.ts })
      }
    )

  const post = async (route: string, headers: Record<string, string>, body: string) => {
    const response = await fetch(`${base}/api/webhooks/${route}`, { method: "POST", headers, body })
    return {
      status: response.status,
      body: (await response.json()) as { error?: string; detail?: string }
    }
  }

  const shownStock = async () =>
    Number(
      testIdAttribute(
        await (await fetch(`${base}${productPath(target.sku)}`)).text(),
        "product-stock",
        "data-available"
      )
    )

  it("refuses missing, wrong and stale signatures and a malformed body, and writes nothing", async () => {
    const before = await shownStock()
    await control(stack.controlUrl, "POST", "/netsuite/stock", {
      sku: target.sku,
      available: before + 3
    })
    const genuine = await stockEvent(before + 3)

    const missing = await post("netsuite", { "content-type": "application/json" }, genuine.body)
    expect(missing.status).toBe(401)
    expect(missing.body.error).toBe("MissingSignature")
    expect(missing.body.detail).toBeTruthy()

    const tampered = genuine.body.replace(
      `"available":${before + 3}`,
      `"available":${before + 999}`
    )
    const wrong = await post("netsuite", genuine.headers, tampered)
    expect(wrong.status).toBe(401)
    expect(wrong.body.error).toBe("BadSignature")

    const old = await stockEvent(before + 3, { ts: Math.floor(Date.now() / 1000) - 3600 })
    const stale = await post("netsuite", old.headers, old.body)
    expect(stale.status).toBe(401)
    expect(stale.body.error).toBe("Stale")

    const garbage = '{"eventId":"x","type":"inventory.changed","data":'
    const signature = await control<Record<string, string>>(
      stack.controlUrl,
      "POST",
      "/netsuite/sign",
      {
        body: garbage
      }
    )
    const malformed = await post(
      "netsuite",
      { "content-type": "application/json", ...signature },
      garbage
    )
    expect(malformed.status).toBe(400)
    expect(malformed.body.error).toBe("Malformed")

    // Nothing was received or invalidated: the page still shows the cached figure…
    expect(await shownStock()).toBe(before)
    // …and the genuine delivery of the same event is new to the inbox.
    const accepted = await post("netsuite", genuine.headers, genuine.body)
    expect(accepted.status).toBe(200)
    expect(accepted.body).toMatchObject({ received: 1, receipts: ["New"] })
    expect(await shownStock()).toBe(before + 3)
  })

  it("refuses unsigned Paddle and Sanity notifications", async () => {
    const paddle = await post("paddle", { "content-type": "application/json" }, "{}")
    expect(paddle.status).toBe(401)
    expect(paddle.body.error).toBe("MissingSignature")
    const sanity = await post("sanity", { "content-type": "application/json" }, "{}")
    expect(sanity.status).toBe(401)
    expect(sanity.body.error).toBe("MissingSignature")
  })

  it("refuses a body over 1 MiB with 413 before verifying it", async () => {
    const huge = await post(
      "paddle",
      { "content-type": "application/json" },
      "x".repeat(1024 * 1024 + 1)
    )
    expect(huge.status).toBe(413)
    expect(huge.body.error).toBe("TooLarge")
  })

  it("answers 404 on the route of an ERP the storefront does not use", async () => {
    const sap = await post("sap", { "content-type": "application/json" }, "{}")
    expect(sap.status).toBe(404)
    expect(sap.body.error).toBe("NotWired")
  })
})
