/**
 * A fake Paddle Billing account as a `hono` app: `POST /transactions`
 * (idempotent by `custom_data.order_id`), `GET /transactions/:id`,
 * `POST /adjustments`, and a pay page (`GET /pay/:id`) whose "Pay now"
 * button completes the transaction, sends a signed `transaction.completed`
 * notification in Paddle's shape to `webhookUrl`, and redirects the shopper
 * to the return URL.
 *
 * @since 0.1.0
 */
import { createHmac, randomBytes } from "node:crypto"
import type { Context } from "hono"
import { Hono } from "hono"

/** The account the fake plays. */
export interface Seed {
  readonly apiKey: string
  readonly webhookSecret: string
  /** Where notifications are delivered; none are sent when absent. */
  readonly webhookUrl?: string
  /** The fake's own public origin, for pay page links. */
  readonly publicUrl: string
}

/** A transaction the fake holds, in Paddle's shape. */
export type Transaction = Record<string, unknown> & {
  readonly id: string
  status: string
  readonly custom_data: Record<string, unknown> | null
  readonly currency_code: string
}

/** A notification the fake sent. */
export interface Delivery {
  readonly eventType: string
  readonly eventId: string
  readonly status: number | "failed"
}

/** A fault for the next API request. */
export interface Injection {
  readonly failNext?: "429" | "500"
  readonly retryAfterSeconds?: number
}

/** The fake and its control hooks. */
export interface PaddleFake {
  readonly app: Hono
  /** Every transaction, oldest first. */
  readonly transactions: () => ReadonlyArray<Transaction>
  /** The request bodies of `POST /transactions`, oldest first. */
  readonly createRequests: () => ReadonlyArray<unknown>
  /** Every adjustment requested. */
  readonly adjustments: () => ReadonlyArray<Record<string, unknown>>
  /** Every notification delivered (or tried). */
  readonly deliveries: () => ReadonlyArray<Delivery>
  readonly inject: (injection: Injection) => void
  /** Completes a transaction as the pay page does, delivering the notification. */
  readonly pay: (id: string) => Promise<void>
  /** A signed notification about a transaction, without delivering it. */
  readonly notification: (
    eventType: "transaction.completed" | "transaction.payment_failed",
    id: string,
    ts?: number
  ) => { readonly headers: Record<string, string>; readonly body: string }
}

/** The `Paddle-Signature` value for `body` signed at `ts` (unix seconds). */
export const signPaddle = (secret: string, body: string | Uint8Array, ts: number): string =>
  `ts=${ts};h1=${createHmac("sha256", secret).update(`${ts}:`).update(body).digest("hex")}`

const paddleId = (prefix: string): string => {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
  const bytes = randomBytes(26)
  return `${prefix}_01${[...bytes.subarray(0, 24)].map((b) => alphabet[b % 32]).join("")}`
}

const requestId = () =>
  randomBytes(16)
    .toString("hex")
    .replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")

const errorBody = (
  type: string,
  code: string,
  detail: string,
  errors?: ReadonlyArray<{ field: string; message: string }>
) => ({
  error: {
    type,
    code,
    detail,
    documentation_url: `https://developer.paddle.com/v1/errors/shared/${code}`,
    ...(errors === undefined ? {} : { errors })
  },
  meta: { request_id: requestId() }
})

interface PriceInput {
  readonly description?: unknown
  readonly name?: unknown
  readonly tax_mode?: unknown
  readonly unit_price?: { readonly amount?: unknown; readonly currency_code?: unknown }
  readonly product?: { readonly name?: unknown; readonly tax_category?: unknown }
}

interface ItemInput {
  readonly quantity?: unknown
  readonly price_id?: unknown
  readonly price?: PriceInput
}

const validate = (
  body: { items?: unknown; custom_data?: unknown } | undefined
): Array<{ field: string; message: string }> => {
  if (body === undefined) return [{ field: "body", message: "invalid JSON" }]
  const errors: Array<{ field: string; message: string }> = []
  const items = Array.isArray(body.items) ? (body.items as Array<ItemInput>) : undefined
  if (items === undefined || items.length === 0) {
    errors.push({ field: "items", message: "at least one item is required" })
  }
  const currencies = new Set<string>()
  for (const [index, item] of (items ?? []).entries()) {
    const at = `items[${index}]`
    if (!Number.isInteger(item.quantity) || (item.quantity as number) < 1) {
      errors.push({ field: `${at}.quantity`, message: "must be a positive integer" })
    }
    if (item.price_id !== undefined) {
      errors.push({ field: `${at}.price_id`, message: "catalog prices are not known to this fake" })
      continue
    }
    const amount = item.price?.unit_price?.amount
    const currency = item.price?.unit_price?.currency_code
    if (typeof amount !== "string" || !/^\d+$/.test(amount)) {
      errors.push({
        field: `${at}.price.unit_price.amount`,
        message: "must be a string of the currency's smallest unit"
      })
    }
    if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) {
      errors.push({ field: `${at}.price.unit_price.currency_code`, message: "invalid currency" })
    } else currencies.add(currency)
    if (typeof item.price?.description !== "string") {
      errors.push({ field: `${at}.price.description`, message: "is required" })
    }
  }
  if (currencies.size > 1) {
    errors.push({ field: "items", message: "all prices must be in one currency" })
  }
  return errors
}

/** Builds a fake Paddle account. */
export const makePaddleFake = (seed: Seed): PaddleFake => {
  const transactions = new Map<string, Transaction>()
  const requests: Array<unknown> = []
  const adjustments: Array<Record<string, unknown>> = []
  const deliveries: Array<Delivery> = []
  let injection: Injection = {}
  const publicUrl = seed.publicUrl.replace(/\/+$/, "")

  const now = () => new Date().toISOString()

  const build = (body: {
    items: Array<ItemInput>
    custom_data?: Record<string, unknown>
    checkout?: { url?: string | null }
  }): Transaction => {
    const id = paddleId("txn")
    const at = now()
    const currency = String(body.items[0]!.price!.unit_price!.currency_code)
    const lines = body.items.map((item) => {
      const unit = BigInt(String(item.price!.unit_price!.amount))
      const total = (unit * BigInt(item.quantity as number)).toString()
      const name = String(item.price!.product?.name ?? item.price!.name ?? item.price!.description)
      return {
        id: paddleId("txnitm"),
        price_id: null,
        quantity: item.quantity,
        totals: { subtotal: total, tax: "0", discount: "0", total },
        unit_totals: {
          subtotal: unit.toString(),
          tax: "0",
          discount: "0",
          total: unit.toString()
        },
        tax_rate: "0",
        product: { id: null, name, tax_category: item.price!.product?.tax_category ?? "standard" }
      }
    })
    const grand = lines.reduce((sum, line) => sum + BigInt(line.totals.total), 0n).toString()
    const totals = {
      subtotal: grand,
      tax: "0",
      discount: "0",
      total: grand,
      grand_total: grand,
      fee: null,
      credit: "0",
      credit_to_balance: "0",
      balance: grand,
      earnings: null,
      currency_code: currency
    }
    return {
      id,
      status: "ready",
      customer_id: null,
      address_id: null,
      business_id: null,
      custom_data: body.custom_data ?? null,
      origin: "api",
      collection_mode: "automatic",
      subscription_id: null,
      invoice_id: null,
      invoice_number: null,
      billing_details: null,
      billing_period: null,
      currency_code: currency,
      discount_id: null,
      created_at: at,
      updated_at: at,
      billed_at: null,
      items: body.items.map((item) => ({
        price: { id: null, product_id: null, ...item.price },
        quantity: item.quantity
      })),
      details: {
        tax_rates_used: [],
        totals,
        adjusted_totals: totals,
        payout_totals: null,
        adjusted_payout_totals: null,
        line_items: lines
      },
      payments: [],
      checkout: { url: `${publicUrl}/pay/${id}` },
      return_url: body.checkout?.url ?? body.custom_data?.["return_url"] ?? null
    }
  }

  /** The transaction as the API shows it (without the fake's own fields). */
  const view = (transaction: Transaction) => {
    const { return_url: _, ...rest } = transaction
    return rest
  }

  const notificationOf = (eventType: string, data: unknown) => ({
    event_id: paddleId("evt"),
    event_type: eventType,
    occurred_at: now(),
    notification_id: paddleId("ntf"),
    data
  })

  const signed = (payload: unknown, ts = Math.floor(Date.now() / 1000)) => {
    const body = JSON.stringify(payload)
    return {
      headers: {
        "content-type": "application/json",
        "paddle-signature": signPaddle(seed.webhookSecret, body, ts)
      },
      body
    }
  }

  const deliver = async (eventType: string, data: unknown): Promise<void> => {
    if (seed.webhookUrl === undefined) return
    const payload = notificationOf(eventType, data)
    const { body, headers } = signed(payload)
    const status = await fetch(seed.webhookUrl, { method: "POST", headers, body }).then(
      (response) => response.status,
      () => "failed" as const
    )
    deliveries.push({ eventType, eventId: payload.event_id, status })
  }

  const complete = async (
    id: string,
    outcome: "pay" | "decline"
  ): Promise<Transaction | undefined> => {
    const transaction = transactions.get(id)
    if (transaction === undefined) return undefined
    if (transaction["status"] === "completed") return transaction
    const details = transaction["details"] as { totals: { grand_total: string } }
    const at = now()
    const attempt = {
      payment_attempt_id: randomBytes(16).toString("hex"),
      amount: details.totals.grand_total,
      status: outcome === "pay" ? "captured" : "error",
      error_code: outcome === "pay" ? null : "declined",
      created_at: at,
      captured_at: outcome === "pay" ? at : null,
      method_details: {
        type: "card",
        card: { type: "visa", last4: outcome === "pay" ? "4242" : "0002" }
      }
    }
    transaction["payments"] = [attempt, ...(transaction["payments"] as Array<unknown>)]
    transaction["updated_at"] = at
    if (outcome === "pay") {
      transaction.status = "completed"
      transaction["billed_at"] = at
    }
    await deliver(
      outcome === "pay" ? "transaction.completed" : "transaction.payment_failed",
      view(transaction)
    )
    return transaction
  }

  const app = new Hono()

  const api = async (c: Context, next: () => Promise<void>): Promise<Response | void> => {
    const auth = c.req.header("authorization")
    if (auth === undefined) {
      return c.json(
        errorBody("request_error", "authentication_missing", "Authentication header missing."),
        401
      )
    }
    if (auth !== `Bearer ${seed.apiKey}`) {
      return c.json(
        errorBody("request_error", "authentication_malformed", "API key is invalid."),
        403
      )
    }
    const fail = injection.failNext
    if (fail !== undefined) {
      const { failNext: _, ...rest } = injection
      injection = rest
      if (fail === "429") {
        return c.json(
          errorBody("request_error", "too_many_requests", "Too many requests. Try again later."),
          429,
          { "retry-after": String(injection.retryAfterSeconds ?? 1) }
        )
      }
      return c.json(errorBody("api_error", "internal_error", "An internal error occurred."), 500)
    }
    await next()
  }

  app.use("/transactions", api)
  app.use("/transactions/*", api)
  app.use("/adjustments", api)

  app.post("/transactions", async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as
      { items?: unknown; custom_data?: Record<string, unknown> } | undefined
    requests.push(body)
    const errors = validate(body)
    if (errors.length > 0) {
      return c.json(errorBody("request_error", "bad_request", "Invalid request.", errors), 400)
    }
    const orderId = body?.custom_data?.["order_id"]
    const existing = [...transactions.values()].find(
      (t) => orderId !== undefined && t.custom_data?.["order_id"] === orderId
    )
    if (existing !== undefined) {
      return c.json({ data: view(existing), meta: { request_id: requestId() } }, 200)
    }
    const transaction = build(body as Parameters<typeof build>[0])
    transactions.set(transaction.id, transaction)
    return c.json({ data: view(transaction), meta: { request_id: requestId() } }, 201)
  })

  app.get("/transactions/:id", (c) => {
    const transaction = transactions.get(c.req.param("id"))
    return transaction === undefined
      ? c.json(
          errorBody("request_error", "not_found", `Entity ${c.req.param("id")} not found`),
          404
        )
      : c.json({ data: view(transaction), meta: { request_id: requestId() } })
  })

  app.post("/adjustments", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>
    const transaction = transactions.get(String(body["transaction_id"]))
    if (transaction === undefined || transaction.status !== "completed") {
      return c.json(
        errorBody("request_error", "bad_request", "Invalid request.", [
          { field: "transaction_id", message: "must name a completed transaction" }
        ]),
        400
      )
    }
    const details = transaction["details"] as { totals: { grand_total: string } }
    const items =
      (body["items"] as Array<{ item_id: string; type: string; amount?: string }> | undefined) ?? []
    const total =
      body["type"] === "full"
        ? details.totals.grand_total
        : items.reduce((sum, item) => sum + BigInt(item.amount ?? "0"), 0n).toString()
    const adjustment = {
      id: paddleId("adj"),
      action: body["action"],
      type: body["type"] ?? "partial",
      transaction_id: transaction.id,
      reason: body["reason"],
      status: "pending_approval",
      currency_code: transaction.currency_code,
      items: items.map((item) => ({ id: paddleId("adjitm"), ...item })),
      totals: {
        subtotal: total,
        tax: "0",
        total,
        fee: "0",
        earnings: "0",
        currency_code: transaction.currency_code
      },
      created_at: now(),
      updated_at: now()
    }
    adjustments.push(adjustment)
    await deliver("adjustment.created", adjustment)
    return c.json({ data: adjustment, meta: { request_id: requestId() } }, 201)
  })

  app.get("/pay/:id", (c) => {
    const transaction = transactions.get(c.req.param("id"))
    if (transaction === undefined) return c.html("<h1>Unknown transaction</h1>", 404)
    const details = transaction["details"] as { totals: { grand_total: string } }
    const action = `${publicUrl}/pay/${transaction.id}`
    return c.html(
      [
        "<!doctype html><html><head><title>Paddle (fake) checkout</title></head><body>",
        `<h1>Pay ${details.totals.grand_total} ${transaction.currency_code} (smallest unit)</h1>`,
        `<p>Transaction ${transaction.id} is ${transaction.status}.</p>`,
        `<form method="post" action="${action}"><input type="hidden" name="outcome" value="pay">`,
        `<button type="submit">Pay now</button></form>`,
        `<form method="post" action="${action}"><input type="hidden" name="outcome" value="decline">`,
        `<button type="submit">Decline card</button></form>`,
        "</body></html>"
      ].join("")
    )
  })

  app.post("/pay/:id", async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const outcome = form["outcome"] === "decline" ? "decline" : "pay"
    const transaction = await complete(c.req.param("id"), outcome)
    if (transaction === undefined) return c.html("<h1>Unknown transaction</h1>", 404)
    const back = transaction["return_url"]
    if (typeof back === "string" && outcome === "pay") {
      const url = new URL(back)
      url.searchParams.set("_ptxn", transaction.id)
      return c.redirect(url.toString(), 303)
    }
    return c.redirect(`${publicUrl}/pay/${transaction.id}`, 303)
  })

  return {
    app,
    transactions: () => [...transactions.values()].map((t) => view(t) as Transaction),
    createRequests: () => [...requests],
    adjustments: () => [...adjustments],
    deliveries: () => [...deliveries],
    inject: (next) => {
      injection = next
    },
    pay: async (id) => {
      await complete(id, "pay")
    },
    notification: (eventType, id, ts) => {
      const transaction = transactions.get(id)
      if (transaction === undefined) throw new Error(`Paddle fake: unknown transaction ${id}`)
      return signed(notificationOf(eventType, view(transaction)), ts)
    }
  }
}
