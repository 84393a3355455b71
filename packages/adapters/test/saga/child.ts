/**
 * One life of the checkout saga, for the crash tests: a separate process
 * that checks out the planned carts, pays them on the Paddle fake's pay page,
 * ingests the payment notifications, delivers the outbox to NetSuite and
 * sweeps expired holds, against a real PostgreSQL and the parent's fakes.
 *
 * Every step boundary prints `STEP <name>`; when `CRASH_AT` names it, the
 * process SIGKILLs itself right there (inside a transaction when the step
 * is). Run again, it resumes: every phase is re-run from the start and must
 * be idempotent.
 *
 * Environment: `DATABASE_URL`, `NETSUITE_URL`, `PADDLE_URL`, `RELAY_URL`,
 * `SAGA_PLAN` (JSON {@link Plan}), optional `CRASH_AT`.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import {
  CartService,
  CartStore,
  Checkout,
  Erp,
  EventIngestion,
  Ids,
  Inventory,
  MerchantOfRecord,
  OrderStore,
  Outbox,
  OutboxWorker,
  ReservationSweeper,
  Settings,
  UseCases,
  Webhook
} from "@mercantile/domain"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
// By path: the testkit index also exports contract suites, which need a vitest runner.
import * as Harness from "../../../testkit/src/Harness"
import * as MemoryCache from "../../../testkit/src/memory/CacheInvalidation"
import * as MemoryCms from "../../../testkit/src/memory/Cms"
import * as MemoryPim from "../../../testkit/src/memory/Pim"
import * as NetSuiteErp from "../../src/netsuite/NetSuiteErp"
import * as PaddleMerchant from "../../src/paddle/PaddleMerchant"
import * as PgDatabase from "../../src/postgres/PgDatabase"
import * as PgStores from "../../src/postgres/PgStores"
import { credentials, holdFor, type Plan } from "./shared"

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined || value === "") throw new Error(`child: ${name} is not set`)
  return value
}

const crashAt = process.env["CRASH_AT"]
let phase = "setup"

/** Marks a step boundary; dies here without any cleanup when told to. */
const step = (name: string) =>
  Effect.sync(() => {
    process.stdout.write(`STEP ${name}\n`)
    if (crashAt === name) process.kill(process.pid, "SIGKILL")
  })

/** A clock `offset` ahead of the real one: time passing between two lives. */
const ahead = (base: Clock.Clock, offset: Duration.Duration): Clock.Clock => {
  const ms = Duration.toMillis(offset)
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => base.unsafeCurrentTimeMillis() + ms,
    currentTimeMillis: Effect.sync(() => base.unsafeCurrentTimeMillis() + ms),
    unsafeCurrentTimeNanos: () => base.unsafeCurrentTimeNanos() + BigInt(ms) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => base.unsafeCurrentTimeNanos() + BigInt(ms) * 1_000_000n),
    sleep: (duration) => base.sleep(duration)
  }
}

const later =
  (offset: Duration.Duration) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.flatMap(Effect.clock, (clock) => Effect.withClock(effect, ahead(clock, offset)))

// The stores: PostgreSQL, with step marks after the writes the saga depends on.

const inventory = Layer.effect(
  Inventory.Inventory,
  Effect.map(PgStores.PgInventory.make(), (inv) =>
    Inventory.Inventory.of({
      ...inv,
      reserve: (request) => Effect.tap(inv.reserve(request), () => step(`${phase}:reserved`)),
      commit: (cartId, orderId, now) =>
        Effect.tap(inv.commit(cartId, orderId, now), () => step(`${phase}:committed`)),
      recordStock: (levels) => Effect.tap(inv.recordStock(levels), () => step(`${phase}:stock`)),
      release: (owner) => Effect.tap(inv.release(owner), () => step(`${phase}:released`)),
      expire: (now) => Effect.tap(inv.expire(now), () => step(`${phase}:expired`))
    })
  )
)

const orders = Layer.effect(
  OrderStore.OrderStore,
  Effect.map(PgStores.PgOrderStore.make, (store) =>
    OrderStore.OrderStore.of({
      ...store,
      create: (order) => Effect.tap(store.create(order), () => step(`${phase}:order-created`)),
      transition: (id, move, now) =>
        Effect.tap(store.transition(id, move, now), () => step(`${phase}:to-${move._tag}`))
    })
  )
)

const outbox = Layer.effect(
  Outbox.Outbox,
  Effect.map(PgStores.PgOutbox.make, (box) =>
    Outbox.Outbox.of({
      ...box,
      enqueue: (key, message, now) =>
        Effect.tap(box.enqueue(key, message, now), () => step(`${phase}:enqueued`)),
      claim: (limit, now, leaseUntil) =>
        Effect.tap(box.claim(limit, now, leaseUntil), (claimed) =>
          claimed.length === 0 ? Effect.void : step(`${phase}:claimed`)
        ),
      complete: (id) => Effect.tap(box.complete(id), () => step(`${phase}:completed`)),
      retry: (id, at, error) => Effect.tap(box.retry(id, at, error), () => step(`${phase}:retry`))
    })
  )
)

const stores = Layer.mergeAll(
  PgStores.PgCartStore.layer,
  PgStores.PgInbox.layer,
  PgStores.PgTransactor.layer,
  inventory,
  orders,
  outbox
)

// The vendors: the real NetSuite and Paddle adapters against the parent's fakes.

const netsuite = NetSuiteErp.layer({
  accountId: credentials.netsuite.accountId,
  consumerKey: Redacted.make(credentials.netsuite.consumerKey),
  consumerSecret: Redacted.make(credentials.netsuite.consumerSecret),
  tokenId: Redacted.make(credentials.netsuite.tokenId),
  tokenSecret: Redacted.make(credentials.netsuite.tokenSecret),
  webhookSecret: Redacted.make(credentials.netsuite.webhookSecret),
  baseUrl: env("NETSUITE_URL"),
  timeout: Duration.millis(Number(process.env["NETSUITE_TIMEOUT_MS"] ?? "1500")),
  retries: 1
})

const erp = Layer.merge(
  netsuite,
  Layer.effect(
    Erp.ErpOrders,
    Effect.map(Erp.ErpOrders, (orders) =>
      Erp.ErpOrders.of({
        find: orders.find,
        record: (order) =>
          orders.record(order).pipe(
            Effect.tap(() => step(`${phase}:erp-recorded`)),
            Effect.tapError((error) =>
              error.reason === "Timeout" ? step(`${phase}:erp-timeout`) : Effect.void
            )
          )
      })
    )
  ).pipe(Layer.provide(netsuite))
)

const paddle = PaddleMerchant.layer({
  apiKey: Redacted.make(credentials.paddle.apiKey),
  baseUrl: env("PADDLE_URL"),
  webhookSecret: Redacted.make(credentials.paddle.webhookSecret),
  webhookToleranceSeconds: 30,
  retries: 1
})

const merchant = Layer.merge(
  paddle,
  Layer.effect(
    MerchantOfRecord.MerchantOfRecord,
    Effect.map(MerchantOfRecord.MerchantOfRecord, (mor) =>
      MerchantOfRecord.MerchantOfRecord.of({
        ...mor,
        createTransaction: (order, key) =>
          Effect.tap(mor.createTransaction(order, key), () => step(`${phase}:mor-opened`))
      })
    )
  ).pipe(Layer.provide(paddle))
)

const database = PgDatabase.layer({
  url: Redacted.make(env("DATABASE_URL")),
  maxConnections: 4
})

const ports = Layer.mergeAll(
  stores,
  erp,
  merchant,
  MemoryPim.layer([]),
  MemoryCms.layer([]),
  MemoryCache.layer,
  Settings.layer(Harness.demoSettings({ holdFor }))
).pipe(Layer.provideMerge(database))

const App = UseCases.layer.pipe(Layer.provideMerge(ports))

// The saga, phase by phase.

const plan = JSON.parse(env("SAGA_PLAN")) as Plan
const relay = env("RELAY_URL")
const paddleUrl = env("PADDLE_URL")

const http = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new Error(`${what}: ${String(cause)}`) })

/** Creates each cart once; a cart half-built by an earlier life gets its missing lines only. */
const setup = Effect.gen(function* () {
  phase = "setup"
  const carts = yield* CartStore.CartStore
  const service = yield* CartService.CartService
  for (const cart of plan.carts) {
    const id = Ids.CartId.make(cart.id)
    const stored = yield* carts.get(id)
    const have = Option.match(stored, {
      onNone: () => new Set<string>(),
      onSome: (c) => new Set<string>(c.lines.map((line) => line.sku))
    })
    for (const line of cart.lines) {
      if (!have.has(line.sku)) yield* service.add(id, Ids.Sku.make(line.sku), line.quantity)
    }
  }
  yield* step("setup:carts")
})

/** Checks every cart out again; returns the transactions still to pay. */
const checkout = Effect.gen(function* () {
  phase = "checkout"
  const saga = yield* Checkout.Checkout
  const toPay: Array<string> = []
  for (const cart of plan.carts) {
    const started = yield* saga.start(Ids.CartId.make(cart.id), Option.none()).pipe(
      Effect.map(Option.some),
      Effect.catchTag("AlreadyOrdered", () => Effect.succeed(Option.none()))
    )
    if (Option.isSome(started) && cart.pay) toPay.push(started.value.transaction.transactionId)
  }
  yield* step("checkout:done")
  return toPay
})

/** The shopper presses "Pay now" on the Paddle fake's pay page. */
const pay = (transactions: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    phase = "pay"
    for (const id of transactions) {
      const response = yield* http("pay", () =>
        fetch(`${paddleUrl}/pay/${id}`, {
          method: "POST",
          body: new URLSearchParams({ outcome: "pay" }),
          redirect: "manual"
        })
      )
      if (response.status !== 303) return yield* Effect.dieMessage(`pay ${id}: ${response.status}`)
    }
    yield* step("pay:done")
  })

interface Delivery {
  readonly id: string
  readonly headers: Record<string, string>
  readonly body: string
}

/** Ingests every notification the relay holds, acknowledging each once applied. */
const webhooks = Effect.gen(function* () {
  phase = "webhook"
  const decoder = yield* MerchantOfRecord.PaymentWebhooks
  const ingestion = yield* EventIngestion.EventIngestion
  const pending = yield* http("relay", () =>
    fetch(`${relay}/deliveries`).then((r) => r.json() as Promise<Array<Delivery>>)
  )
  for (const delivery of pending) {
    const events = yield* decoder.decode(
      Webhook.make(Object.entries(delivery.headers), delivery.body)
    )
    yield* ingestion.ingest(events)
    yield* step("webhook:ingested")
    yield* http("ack", () => fetch(`${relay}/ack/${delivery.id}`, { method: "POST" }))
    yield* step("webhook:acked")
  }
})

/**
 * Runs the outbox worker until nothing is left to deliver. Each round runs
 * three minutes later than the last, so that a lease taken by a dead life,
 * or a retry's backoff, has run out.
 */
const deliver = Effect.gen(function* () {
  phase = "outbox"
  const sql = yield* SqlClient.SqlClient
  const worker = yield* OutboxWorker.OutboxWorker
  for (let round = 0; round < 8; round++) {
    const [row] = yield* sql<{ left: number }>`
      SELECT count(*)::int AS left FROM outbox WHERE delivered_at IS NULL`
    if ((row?.left ?? 0) === 0) return yield* step("outbox:empty")
    yield* worker.runOnce.pipe(later(Duration.minutes(3 * round)))
  }
  return yield* Effect.dieMessage("outbox: messages left after 8 rounds")
})

/** Sweeps an hour ahead: every hold of this life has expired by then. */
const sweep = Effect.gen(function* () {
  phase = "sweep"
  const expired = yield* ReservationSweeper.sweepOnce.pipe(later(Duration.hours(1)))
  yield* step("sweep:done")
  return expired
})

const main = Effect.gen(function* () {
  yield* step("start")
  yield* setup
  const toPay = yield* checkout
  yield* pay(toPay)
  yield* webhooks
  yield* deliver
  yield* sweep
  yield* Effect.sync(() => process.stdout.write("DONE\n"))
})

main
  .pipe(
    Effect.provide(App),
    Effect.provide(
      Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))
    ),
    Logger.withMinimumLogLevel(LogLevel.Info),
    Effect.tapErrorCause((cause) => Effect.logError("saga child failed", cause)),
    Effect.runPromiseExit
  )
  .then((exit) => {
    process.exitCode = exit._tag === "Success" ? 0 : 1
  })
