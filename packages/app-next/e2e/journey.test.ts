/**
 * The shopper's journey in a real Chromium against the whole stack, once
 * with NetSuite and once with SAP as the ERP: listing → product → add 2 →
 * cart → the ERP's price moves → checkout stops at the new total → confirm
 * → pay it on the Paddle fake → order paid → recorded in the
 * ERP fake → the ERP's authenticated stock notification shows the new stock
 * on the next read, while another product's page is still served from the
 * cache.
 */
import { Money } from "@mercantile/domain"
import * as Either from "effect/Either"
import * as path from "node:path"
import type { BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { control, eur, launch, productPath, screenshots, testIdAttribute } from "./support"

interface NetSuiteOrder {
  readonly id: string
  readonly externalId: string | undefined
}

interface SapOrder {
  readonly SalesOrder: string
  readonly PurchaseOrderByCustomer: string
}

interface PaddleTransaction {
  readonly status: string
  readonly custom_data: { readonly order_id?: string } | null
  readonly details: { readonly totals: { readonly grand_total: string } }
}

interface Delivery {
  readonly headers: Record<string, string>
  readonly body: string
}

/** What differs between the ERPs: their fakes' control hooks and their notifications. */
interface ErpDriver {
  /** The ERP's orders carrying our order id. */
  readonly ordersFor: (orderId: string) => Promise<{ mine: number; all: number }>
  /** A stock notification for one SKU, ready to post to `/api/webhooks/<route>`. */
  readonly stockNotification: (sku: string, available: number) => Promise<Delivery>
}

const netsuite = (controlUrl: string | undefined): ErpDriver => ({
  ordersFor: async (orderId) => {
    const orders = await control<ReadonlyArray<NetSuiteOrder>>(
      controlUrl,
      "GET",
      "/netsuite/orders"
    )
    return { mine: orders.filter((o) => o.externalId === orderId).length, all: orders.length }
  },
  stockNotification: (sku, available) =>
    control<Delivery>(controlUrl, "POST", "/netsuite/notification", {
      type: "inventory.changed",
      data: { sku, location: "1", available }
    })
})

const sap = (controlUrl: string | undefined): ErpDriver => ({
  ordersFor: async (orderId) => {
    const orders = await control<ReadonlyArray<SapOrder>>(controlUrl, "GET", "/sap/orders")
    return {
      mine: orders.filter((o) => o.PurchaseOrderByCustomer === orderId).length,
      all: orders.length
    }
  },
  // Event Mesh's business event carries keys only; the storefront re-reads the stock.
  stockNotification: (sku) =>
    control<Delivery>(controlUrl, "POST", "/sap/notification", {
      type: "sap.s4.beh.materialstock.v1.MaterialStock.Changed.v1",
      data: { Material: sku, Plant: "1010", StorageLocation: "0001" }
    })
})

const stacks = { netsuite: inject("stack"), sap: inject("sapStack") }
const drivers = { netsuite, sap }

describe.each(["netsuite", "sap"] as const)("the shopper's journey with %s", (erp) => {
  const stack = stacks[erp]
  const base = stack.storefrontUrl
  const prices = new Map(stack.items.map((item) => [item.sku, item]))
  const driver = drivers[erp](stack.controlUrl)

  let context: BrowserContext
  let page: Page

  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshots, `${erp}-${name}.png`), fullPage: true })

  const stockShown = async (sku: string): Promise<number> => {
    const html = await (await fetch(`${base}${productPath(sku)}`)).text()
    return Number(testIdAttribute(html, "product-stock", "data-available"))
  }

  beforeAll(async () => {
    context = await launch()
    page = await context.newPage()
  })

  afterAll(async () => {
    await context?.close()
  })

  let sku = ""
  let orderId = ""
  let moved = ""
  let cartId = ""

  const cartCookie = async () =>
    (await context.cookies(base)).find((cookie) => cookie.name === "mercantile_cart")?.value

  const transactions = () =>
    control<ReadonlyArray<PaddleTransaction>>(stack.controlUrl, "GET", "/paddle/transactions")

  it("lists products by category and opens a product page", async () => {
    await page.goto(base)
    await page.getByTestId("category-nav").waitFor()
    await page.getByTestId("product-card").first().waitFor()
    await shot("01-listing")

    const cards = await page
      .getByTestId("product-card")
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-sku") ?? ""))
    const first = cards.find((candidate) => (prices.get(candidate)?.available ?? 0) >= 2)
    expect(first, "a priced, stocked product on the first listing page").toBeDefined()
    sku = first ?? ""

    await page.locator(`[data-testid="product-card"][data-sku="${sku}"]`).click()
    await page.waitForURL(`**${productPath(sku)}`)
    const item = prices.get(sku)
    expect(await page.getByTestId("product-name").textContent()).toBe(item?.name)
    expect(await page.getByTestId("product-price").textContent()).toBe(eur(item?.eur ?? "0"))
    expect(await page.getByTestId("product-stock").getAttribute("data-available")).toBe(
      String(item?.available)
    )
    await shot("02-product")
  })

  it("adds two units and shows the cart total as twice the unit price", async () => {
    await page.getByTestId("quantity").fill("2")
    await page.getByTestId("add-to-cart").click()
    await page.getByTestId("action-ok").waitFor()
    await shot("03-added")
    cartId = (await cartCookie()) ?? ""
    expect(cartId).toMatch(/^cart-/)

    await page.getByTestId("go-to-cart").click()
    await page.waitForURL("**/cart")
    const line = page.locator(`[data-testid="cart-line"][data-sku="${sku}"]`)
    const unit = await line.getByTestId("line-unit-price").getAttribute("data-amount")
    expect(unit).toBe(
      Money.toDecimal(Either.getOrThrow(Money.fromDecimal("EUR", prices.get(sku)?.eur ?? "")))
    )
    const total = await page.getByTestId("cart-total").getAttribute("data-amount")
    expect(total).toBe((Number(unit) * 2).toFixed(2))
    expect(await page.getByTestId("cart-total").textContent()).toBe(
      eur((Number(unit) * 2).toFixed(2))
    )
    await shot("04-cart")
  })

  it("stops at a price moved since adding, showing the new total, and charges nothing", async () => {
    const item = prices.get(sku)!
    moved = (Number(item.eur) + 10).toFixed(2)
    const was = (Number(item.eur) * 2).toFixed(2)
    const now = (Number(moved) * 2).toFixed(2)
    const before = await transactions()
    await control(stack.controlUrl, "POST", `/${erp}/price`, { sku, amount: moved })

    await page.getByTestId("checkout").click()
    const notice = page.getByTestId("price-moved")
    await notice.waitFor()
    expect(await notice.textContent()).toBe(
      `The total changed from ${eur(was)} to ${eur(now)}. Please confirm the new total.`
    )
    expect(await page.getByTestId("checkout").textContent()).toBe(`Confirm ${eur(now)} and pay`)
    expect(page.url()).toBe(`${base}/cart`)
    expect(await transactions()).toHaveLength(before.length)
    await shot("05-price-moved")
  })

  it("pays the confirmed new total on the Paddle fake's page", async () => {
    const now = (Number(moved) * 2).toFixed(2)
    await page.getByTestId("checkout").click()
    await page.waitForURL(`${stack.fakes.paddle}/pay/**`)
    await shot("06-paddle")

    await page.getByRole("button", { name: "Pay now" }).click()
    await page.waitForURL(`${base}/orders/**`)
    const status = page.getByTestId("order-status")
    await status.waitFor()
    expect(["Paid", "RecordedInErp"]).toContain(await status.getAttribute("data-status"))
    orderId = (await page.getByTestId("order").getAttribute("data-order-id")) ?? ""
    expect(orderId).not.toBe("")
    expect(await page.getByTestId("order-total").textContent()).toBe(eur(now))
    await shot("07-paid")

    const charged = (await transactions()).filter((t) => t.custom_data?.order_id === orderId)
    expect(charged).toHaveLength(1)
    expect(charged[0]?.status).toBe("completed")
    expect(charged[0]?.details.totals.grand_total).toBe((Number(now) * 100).toFixed(0))

    // The paid cart is forgotten: the next add starts a new cart.
    await expect.poll(cartCookie).toBeUndefined()

    // The other suites read the catalog at its seeded prices.
    await control(stack.controlUrl, "POST", `/${erp}/price`, { sku, amount: prices.get(sku)!.eur })
  })

  it("records the paid order in the ERP fake, once", async () => {
    await page
      .locator('[data-testid="order-status"][data-status="RecordedInErp"]')
      .waitFor({ timeout: 30_000 })
    await shot("08-recorded")
    const recorded = await driver.ordersFor(orderId)
    expect(recorded.mine).toBe(1)
    // This stack serves the journey alone (the NetSuite one is shared with other suites).
    if (erp === "sap") expect(recorded.all).toBe(1)
  })

  it("shows new stock on the next read after the ERP's stock notification, and only for that SKU", async () => {
    const other = stack.items.find((item) => item.sku !== sku)?.sku ?? ""
    const before = await stockShown(sku)
    const otherBefore = await stockShown(other)

    // The ERP's figures move; without a notification both pages keep the cached ones.
    const fresh = before + 17
    await control(stack.controlUrl, "POST", `/${erp}/stock`, { sku, available: fresh })
    await control(stack.controlUrl, "POST", `/${erp}/stock`, {
      sku: other,
      available: otherBefore + 5
    })
    expect(await stockShown(sku)).toBe(before)
    expect(await stockShown(other)).toBe(otherBefore)

    const notification = await driver.stockNotification(sku, fresh)
    const answer = await fetch(`${base}/api/webhooks/${erp}`, {
      method: "POST",
      headers: notification.headers,
      body: notification.body
    })
    expect(answer.status, await answer.clone().text()).toBe(200)

    await page.goto(`${base}${productPath(sku)}`)
    expect(await page.getByTestId("product-stock").getAttribute("data-available")).toBe(
      String(fresh)
    )
    await shot("09-stock-after-webhook")

    await page.goto(`${base}${productPath(other)}`)
    expect(await page.getByTestId("product-stock").getAttribute("data-available")).toBe(
      String(otherBefore)
    )
    await shot("10-other-still-cached")
  })

  it("starts a new cart after the payment, which checks out again", async () => {
    await page.goto(`${base}${productPath(sku)}`)
    await page.getByTestId("quantity").fill("1")
    await page.getByTestId("add-to-cart").click()
    await page.getByTestId("action-ok").waitFor()
    const fresh = await cartCookie()
    expect(fresh).toMatch(/^cart-/)
    expect(fresh).not.toBe(cartId)

    await page.goto(`${base}/cart`)
    expect(await page.getByTestId("cart-line").count()).toBe(1)
    expect(await page.getByTestId("line-quantity-shown").textContent()).toBe("1")
    await shot("11-new-cart")

    // The paid cart's second checkout would answer AlreadyOrdered; the new one goes on to pay.
    await page.getByTestId("checkout").click()
    await page.waitForURL(`${stack.fakes.paddle}/pay/**`)
  })
})
