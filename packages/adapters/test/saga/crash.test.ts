/**
 * The checkout saga survives a crash at every step boundary.
 *
 * A child process runs checkout, payment, settlement, the outbox and the
 * sweeper against a real PostgreSQL server and the NetSuite and Paddle
 * fakes served by this process (so the ERP and the Merchant of Record
 * outlive the child). It is SIGKILLed at one step, then started again; the
 * second life re-runs every phase, Paddle delivers its notifications again
 * plus one fresh duplicate, and then the books must balance.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { Plan } from "./shared"
import { client, freshDatabase, life, world, type Item, type Life, type World } from "./world"

const items: ReadonlyArray<Item> = [
  {
    sku: "LAMP-1",
    price: "49.90",
    stock: [
      { location: "1", available: 6 },
      { location: "2", available: 6 }
    ]
  },
  { sku: "DESK-1", price: "349.00", stock: [{ location: "1", available: 5 }] }
]

const plan: Plan = {
  carts: [
    {
      id: "cart-a",
      pay: true,
      lines: [
        { sku: "LAMP-1", quantity: 7 },
        { sku: "DESK-1", quantity: 1 }
      ]
    },
    { id: "cart-b", pay: false, lines: [{ sku: "LAMP-1", quantity: 2 }] },
    { id: "cart-c", pay: true, lines: [{ sku: "DESK-1", quantity: 2 }] }
  ]
}

const paidUnits = (sku: string) =>
  plan.carts
    .filter((c) => c.pay)
    .flatMap((c) => c.lines)
    .filter((l) => l.sku === sku)
    .reduce((a, l) => a + l.quantity, 0)

const explain = (l: Life) =>
  `code=${l.code} signal=${l.signal} timed out=${l.timedOut} steps:\n${l.steps.join("\n")}\n${l.stderr.slice(-4000)}`

/** The ledger agrees with itself: promised = live reservations, never below zero. */
const checkLedger = (database: string) =>
  Effect.gen(function* () {
    const sql = yield* client(database)
    const rows = yield* sql<{
      sku: string
      location_id: string
      promised: number
      live: number
    }>`
      SELECT s.sku, s.location_id, s.promised,
        COALESCE((SELECT sum(quantity) FROM reservations r
          WHERE r.sku = s.sku AND r.location_id = s.location_id
            AND r.status IN ('Held', 'Committed')), 0)::int AS live
      FROM stock s ORDER BY 1, 2`
    for (const row of rows) {
      expect(row.promised, `${row.sku}@${row.location_id}`).toBeGreaterThanOrEqual(0)
      expect(row.promised, `${row.sku}@${row.location_id}`).toBe(row.live)
    }
  })

/** No ERP order twice, whatever happened. */
const checkNoDuplicates = (w: World) => {
  const byExternal = new Map<string, number>()
  for (const order of w.netsuite.orders()) {
    const key = order.externalId ?? `(none) ${order.id}`
    byExternal.set(key, (byExternal.get(key) ?? 0) + 1)
  }
  for (const [externalId, count] of byExternal) expect(count, externalId).toBe(1)
}

/** After a clean life: every paid order once in the ERP, nothing promised, nothing held. */
const checkSettled = (database: string, w: World) =>
  Effect.gen(function* () {
    const sql = yield* client(database)
    checkNoDuplicates(w)
    yield* checkLedger(database)

    const orders = yield* sql<{ id: string; cart_id: string; status: string }>`
      SELECT id, cart_id, status FROM orders ORDER BY id`
    expect(orders.map((o) => o.cart_id).sort()).toEqual(plan.carts.map((c) => c.id).sort())
    const inErp = new Set(w.netsuite.orders().map((o) => o.externalId))
    for (const cart of plan.carts) {
      const order = orders.find((o) => o.cart_id === cart.id)!
      expect(order.status, cart.id).toBe(cart.pay ? "RecordedInErp" : "AwaitingPayment")
      expect(inErp.has(order.id), `${order.id} in the ERP`).toBe(cart.pay)
    }

    // One Paddle transaction per order, completed exactly for the paid carts.
    const txns = w.paddle.transactions()
    for (const order of orders) {
      const mine = txns.filter((t) => t.custom_data?.["order_id"] === order.id)
      expect(mine.length, order.id).toBe(1)
      expect(mine[0]!.status === "completed", order.id).toBe(order.status === "RecordedInErp")
    }

    // Swept an hour on: no hold is left, and what is promised is what is
    // committed to orders not yet recorded in the ERP; all are, so nothing.
    const held = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n FROM reservations WHERE status = 'Held'`
    expect(held[0]!.n).toBe(0)
    const unrecorded = yield* sql<{ units: number }>`
      SELECT COALESCE(sum(r.quantity), 0)::int AS units FROM reservations r
      JOIN orders o ON o.id = r.order_id
      WHERE r.status = 'Committed' AND o.status = 'Paid'`
    const promised = yield* sql<{ units: number }>`
      SELECT COALESCE(sum(promised), 0)::int AS units FROM stock`
    expect(promised[0]!.units).toBe(unrecorded[0]!.units)
    expect(promised[0]!.units).toBe(0)

    const left = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL`
    expect(left[0]!.n).toBe(0)

    // The ERP sold each paid unit once, and our ledger reads the ERP's figures.
    const ours = yield* sql<{ sku: string; units: number }>`
      SELECT sku, sum(erp_available)::int AS units FROM stock GROUP BY sku`
    for (const item of items) {
      const erp = w.erpStock().get(item.sku)!
      expect(erp, item.sku).toBe(w.initial.get(item.sku)! - paidUnits(item.sku))
      expect(ours.find((r) => r.sku === item.sku)?.units, item.sku).toBe(erp)
    }
  })

/** Paddle delivers everything again, and once more under a new notification id. */
const duplicateDeliveries = (w: World) => {
  w.relay.redeliverAll()
  for (const txn of w.paddle.transactions()) {
    if (txn.status === "completed") {
      w.relay.push(w.paddle.notification("transaction.completed", txn.id).body)
    }
  }
}

/** Two scenarios at a time: each life of the child is a Node process loading the whole saga. */
const lanes = Effect.unsafeMakeSemaphore(2)

let scenarios = 0
const scenario = <A>(
  body: (database: string, w: World) => Effect.Effect<A, unknown, Scope.Scope>
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const name = `mercantile_crash_${process.pid}_${++scenarios}`
      const url = yield* freshDatabase(name)
      const w = yield* world(items, plan)
      return yield* body(name, { ...w, env: { ...w.env, DATABASE_URL: url } })
    })
  ).pipe(lanes.withPermits(1))

/** The step boundaries the child is killed at, in saga order. */
const crashPoints = [
  "checkout:reserved",
  "checkout:order-created",
  "checkout:mor-opened",
  "pay:done",
  "webhook:to-Paid",
  "webhook:committed",
  "webhook:enqueued",
  "webhook:ingested",
  "outbox:claimed",
  "outbox:erp-recorded",
  "outbox:to-RecordedInErp",
  "outbox:stock",
  "outbox:released",
  "outbox:completed",
  "sweep:expired"
] as const

/** Kills the child at `point`, checks what it left, restarts it and checks the end. */
const crashThenResume = (point: string, database: string, w: World) =>
  Effect.gen(function* () {
    const crashed = yield* life({ ...w.env, CRASH_AT: point })
    expect(crashed.timedOut, explain(crashed)).toBe(false)
    expect(crashed.signal, explain(crashed)).toBe("SIGKILL")
    expect(crashed.steps.at(-1)?.split(" ")[0], explain(crashed)).toBe(point)
    checkNoDuplicates(w)
    yield* checkLedger(database)

    duplicateDeliveries(w)
    const resumed = yield* life(w.env)
    expect(resumed.done, explain(resumed)).toBe(true)
    yield* checkSettled(database, w)
  })

describe.concurrent("checkout saga on PostgreSQL, killed at each step", () => {
  it.live(
    "runs to the end, the ERP's answer to a write lost once (C14)",
    () =>
      scenario((database, w) =>
        Effect.gen(function* () {
          w.netsuite.inject({ failNext: "timeoutAfterWrite" })
          const only = yield* life(w.env)
          expect(only.done, explain(only)).toBe(true)
          expect(only.steps.map((s) => s.split(" ")[0])).toContain("outbox:erp-timeout")
          yield* checkSettled(database, w)
        })
      ),
    150_000
  )

  it.live(
    "killed while the ERP's answer to a write is lost (C14)",
    () =>
      scenario((database, w) =>
        Effect.sync(() => w.netsuite.inject({ failNext: "timeoutAfterWrite" })).pipe(
          Effect.zipRight(crashThenResume("outbox:erp-timeout", database, w))
        )
      ),
    150_000
  )

  for (const point of crashPoints) {
    it.live(
      `killed at ${point}`,
      () => scenario((database, w) => crashThenResume(point, database, w)),
      150_000
    )
  }
})
