/**
 * Contract suites for the store ports. Every implementation (memory,
 * PGlite, a PostgreSQL server) registers the same tests by calling these
 * with its layer:
 *
 * ```ts
 * Stores.cartStoreContract(MemoryStores.layerMemory())
 * ```
 *
 * Each suite builds the layer once and gives its cases unique ids, so the
 * layer may point at a database shared with other suites.
 *
 * @since 0.1.0
 */
import { assert, layer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { CartStore, Inbox, Order, OrderStore, Outbox, Transactor } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Fx from "./StoresFixtures"

export { inventoryContract } from "./Inventory"

/** How a suite runs. */
export interface Options {
  /** How often the concurrency cases repeat (default 20). */
  readonly rounds?: number
}

const suite = <R>(
  name: string,
  layer_: Layer.Layer<R, unknown>,
  tests: (it: Vitest.MethodsNonLive<R, true>) => void
) => layer(layer_, { timeout: "120 seconds", excludeTestServices: true })(name, tests)

const both = { concurrency: "unbounded" } as const

/** Optimistic concurrency of carts. */
export const cartStoreContract = (
  layer_: Layer.Layer<CartStore.CartStore, unknown>,
  options: Options = {}
): void =>
  suite("CartStore contract", layer_, (it) => {
    const rounds = options.rounds ?? 20

    it.effect("a missing cart is none", () =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        assert.isTrue(Option.isNone(yield* carts.get(Fx.cartId())))
      })
    )

    it.effect("saves version 1 of a new cart and reads it back", () =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        const cart = Fx.cart(Fx.cartId(), 1, [
          [Fx.sku(), 2],
          [Fx.sku(), 999]
        ])

        yield* carts.save(cart)

        assert.deepStrictEqual(yield* carts.get(cart.id), Option.some(cart))
      })
    )

    it.effect("a stale version is a conflict and writes nothing", () =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        const id = Fx.cartId()
        const [a, b] = [Fx.sku(), Fx.sku()]
        yield* carts.save(Fx.cart(id, 1, []))
        yield* carts.save(Fx.cart(id, 2, [[a, 1]]))

        const stale = yield* Effect.flip(carts.save(Fx.cart(id, 2, [[b, 5]])))
        const ahead = yield* Effect.flip(carts.save(Fx.cart(id, 4, [[b, 5]])))

        assert.instanceOf(stale, CartStore.CartConflict)
        assert.include(stale, { expectedVersion: 1, actualVersion: 2 })
        assert.include(ahead, { _tag: "CartConflict", expectedVersion: 3, actualVersion: 2 })
        assert.deepStrictEqual(yield* carts.get(id), Option.some(Fx.cart(id, 2, [[a, 1]])))
      })
    )

    it.effect("a new cart must start at version 1", () =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        const id = Fx.cartId()

        const error = yield* Effect.flip(carts.save(Fx.cart(id, 3, [])))

        assert.include(error, { _tag: "CartConflict", expectedVersion: 2, actualVersion: 0 })
        assert.isTrue(Option.isNone(yield* carts.get(id)))
      })
    )

    it.effect("two saves from the same version at once: exactly one wins", () =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        for (let round = 0; round < rounds; round++) {
          const id = Fx.cartId()
          yield* carts.save(Fx.cart(id, 1, []))
          const left = Fx.cart(id, 2, [[Fx.sku(), 1]])
          const right = Fx.cart(id, 2, [[Fx.sku(), 2]])

          const results = yield* Effect.all(
            [left, right].map((cart) => Effect.either(carts.save(cart))),
            both
          )

          const winners = results.filter(Either.isRight)
          assert.strictEqual(winners.length, 1)
          const winner = Either.isRight(results[0]!) ? left : right
          assert.deepStrictEqual(yield* carts.get(id), Option.some(winner))
        }
      })
    )

    it.effect("two creations of one cart at once: exactly one wins", () =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        for (let round = 0; round < rounds; round++) {
          const id = Fx.cartId()
          const results = yield* Effect.all(
            [1, 2].map((n) => Effect.either(carts.save(Fx.cart(id, 1, [[Fx.sku(), n]])))),
            both
          )
          assert.strictEqual(results.filter(Either.isRight).length, 1)
        }
      })
    )
  })

const paid = (paymentReference: string): Order.Transition => ({ _tag: "Paid", paymentReference })

/** Idempotent orders whose transitions never go backwards. */
export const orderStoreContract = (
  layer_: Layer.Layer<OrderStore.OrderStore, unknown>,
  options: Options = {}
): void =>
  suite("OrderStore contract", layer_, (it) => {
    const rounds = options.rounds ?? 20
    const t0 = Fx.at("12:00")

    it.effect("creates an order and reads it back exactly, money included", () =>
      Effect.gen(function* () {
        const orders = yield* OrderStore.OrderStore
        const order = Fx.order(Fx.orderId(), Fx.cartId(), t0)

        const created = yield* orders.create(order)

        assert.deepStrictEqual(created, order)
        assert.deepStrictEqual(yield* orders.get(order.id), Option.some(order))
        assert.strictEqual(created.total.minor, 9007199254743493n)
        assert.isTrue(Option.isNone(yield* orders.get(Fx.orderId())))
      })
    )

    it.effect("creating the same id again returns the stored order unchanged", () =>
      Effect.gen(function* () {
        const orders = yield* OrderStore.OrderStore
        const order = Fx.order(Fx.orderId(), Fx.cartId(), t0)
        yield* orders.create(order)

        const again = yield* orders.create(
          new Order.Order({ ...order, status: "Paid", createdAt: Fx.at("13:00") })
        )

        assert.deepStrictEqual(again, order)
        assert.deepStrictEqual(yield* orders.get(order.id), Option.some(order))
      })
    )

    it.effect("byCart finds the newest order of a cart", () =>
      Effect.gen(function* () {
        const orders = yield* OrderStore.OrderStore
        const cartId = Fx.cartId()
        const older = Fx.order(Fx.orderId(), cartId, Fx.at("12:00"))
        const newer = Fx.order(Fx.orderId(), cartId, Fx.at("12:30"))
        yield* orders.create(newer)
        yield* orders.create(older)

        const found = yield* orders.byCart(cartId)

        assert.deepStrictEqual(
          Option.map(found, (o) => o.id),
          Option.some(newer.id)
        )
        assert.isTrue(Option.isNone(yield* orders.byCart(Fx.cartId())))
      })
    )

    it.effect("transitions are idempotent and never go backwards", () =>
      Effect.gen(function* () {
        const orders = yield* OrderStore.OrderStore
        const order = yield* orders.create(Fx.order(Fx.orderId(), Fx.cartId(), t0))

        const first = yield* orders.transition(order.id, paid("txn-1"), Fx.at("12:01"))
        const repeat = yield* orders.transition(order.id, paid("txn-2"), Fx.at("12:02"))
        const cancel = yield* Effect.flip(
          orders.transition(order.id, { _tag: "Cancelled" }, Fx.at("12:03"))
        )
        const recorded = yield* orders.transition(
          order.id,
          { _tag: "RecordedInErp", erpReference: "SO-1" },
          Fx.at("12:04")
        )
        const late = yield* orders.transition(order.id, paid("txn-3"), Fx.at("12:05"))

        assert.strictEqual(first._tag, "Changed")
        assert.strictEqual(repeat._tag, "Unchanged")
        assert.include(cancel, { _tag: "OrderTransitionError", from: "Paid", to: "Cancelled" })
        assert.strictEqual(recorded._tag, "Changed")
        assert.strictEqual(late._tag, "Unchanged")
        const stored = Option.getOrThrow(yield* orders.get(order.id))
        assert.include(stored, {
          status: "RecordedInErp",
          paymentReference: "txn-1",
          erpReference: "SO-1"
        })
        assert.deepStrictEqual(stored.updatedAt, Fx.at("12:04"))
      })
    )

    it.effect("a transition of an unknown order fails", () =>
      Effect.gen(function* () {
        const orders = yield* OrderStore.OrderStore
        const error = yield* Effect.flip(orders.transition(Fx.orderId(), paid("x"), t0))
        assert.strictEqual(error._tag, "StoreError")
      })
    )

    it.effect("two transitions at once: exactly one changes the order", () =>
      Effect.gen(function* () {
        const orders = yield* OrderStore.OrderStore
        for (let round = 0; round < rounds; round++) {
          const order = yield* orders.create(Fx.order(Fx.orderId(), Fx.cartId(), t0))

          const outcomes = yield* Effect.all(
            ["txn-a", "txn-b"].map((ref) => orders.transition(order.id, paid(ref), t0)),
            both
          )

          const changed = outcomes.filter((o) => o._tag === "Changed")
          assert.strictEqual(changed.length, 1)
          const stored = Option.getOrThrow(yield* orders.get(order.id))
          assert.strictEqual(stored.paymentReference, changed[0]!.order.paymentReference)
        }
      })
    )
  })

/** Exactly-once receipt, in source order per subject. */
export const inboxContract = (
  layer_: Layer.Layer<Inbox.Inbox, unknown>,
  options: Options = {}
): void =>
  suite("Inbox contract", layer_, (it) => {
    const rounds = options.rounds ?? 20

    it.effect("an event is new once, then a duplicate", () =>
      Effect.gen(function* () {
        const inbox = yield* Inbox.Inbox
        const event = Fx.stockChanged(Fx.fresh("evt"), Fx.sku(), Fx.at("12:00"))

        assert.strictEqual(yield* inbox.receive(event), "New")
        assert.strictEqual(yield* inbox.receive(event), "Duplicate")
      })
    )

    it.effect("the same event id from another source is another event", () =>
      Effect.gen(function* () {
        const inbox = yield* Inbox.Inbox
        const id = Fx.fresh("evt")

        const erp = yield* inbox.receive(Fx.stockChanged(id, Fx.sku(), Fx.at("12:00"), "erp"))
        const pim = yield* inbox.receive(Fx.stockChanged(id, Fx.sku(), Fx.at("12:00"), "pim"))

        assert.deepStrictEqual([erp, pim], ["New", "New"])
      })
    )

    it.effect("an older event about a subject after a newer one is stale", () =>
      Effect.gen(function* () {
        const inbox = yield* Inbox.Inbox
        const sku = Fx.sku()
        const newer = Fx.stockChanged(Fx.fresh("evt"), sku, Fx.at("12:05"))
        const older = Fx.stockChanged(Fx.fresh("evt"), sku, Fx.at("12:01"))
        const same = Fx.stockChanged(Fx.fresh("evt"), sku, Fx.at("12:05"))
        const later = Fx.stockChanged(Fx.fresh("evt"), sku, Fx.at("12:09"))
        const other = Fx.stockChanged(Fx.fresh("evt"), Fx.sku(), Fx.at("12:00"))

        const receipts = yield* Effect.forEach([newer, older, older, same, other, later], (e) =>
          inbox.receive(e)
        )

        assert.deepStrictEqual(receipts, ["New", "Stale", "Duplicate", "New", "New", "New"])
      })
    )

    it.effect("payment events carry money and are received like any other", () =>
      Effect.gen(function* () {
        const inbox = yield* Inbox.Inbox
        const event = Fx.paymentCompleted(Fx.fresh("evt"), Fx.orderId(), Fx.at("12:00"))

        assert.strictEqual(yield* inbox.receive(event), "New")
        assert.strictEqual(yield* inbox.receive(event), "Duplicate")
      })
    )

    it.effect("one event received many times at once is new exactly once", () =>
      Effect.gen(function* () {
        const inbox = yield* Inbox.Inbox
        for (let round = 0; round < rounds; round++) {
          const event = Fx.stockChanged(Fx.fresh("evt"), Fx.sku(), Fx.at("12:00"))

          const receipts = yield* Effect.all(
            Array.from({ length: 8 }, () => inbox.receive(event)),
            both
          )

          assert.strictEqual(receipts.filter((r) => r === "New").length, 1)
          assert.strictEqual(receipts.filter((r) => r === "Duplicate").length, 7)
        }
      })
    )
  })

const record = (orderId: string): Outbox.Message =>
  ({ _tag: "RecordOrderInErp", orderId }) as Outbox.Message

/** Claims everything pending, far in the future, and completes it. */
const drain = Effect.gen(function* () {
  const outbox = yield* Outbox.Outbox
  const far = new Date("2999-01-01T00:00:00Z")
  const claimed = yield* outbox.claim(10_000, far, far)
  yield* Effect.forEach(claimed, (c) => outbox.complete(c.id), { discard: true })
})

/** At-least-once delivery, idempotent enqueue, leases. */
export const outboxContract = (
  layer_: Layer.Layer<Outbox.Outbox, unknown>,
  options: Options = {}
): void =>
  suite("Outbox contract", layer_, (it) => {
    const rounds = options.rounds ?? 20

    it.effect("enqueuing a key twice delivers one message", () =>
      Effect.gen(function* () {
        yield* drain
        const outbox = yield* Outbox.Outbox
        const key = Fx.fresh("key")
        yield* outbox.enqueue(key, record("order-1"), Fx.at("12:00"))
        yield* outbox.enqueue(key, record("order-2"), Fx.at("12:00"))

        const claimed = yield* outbox.claim(10, Fx.at("12:00"), Fx.at("12:01"))

        assert.deepStrictEqual(
          claimed.map((c) => [c.message, c.attempts]),
          [[record("order-1"), 1]]
        )
      })
    )

    it.effect("a message is not due before it was enqueued", () =>
      Effect.gen(function* () {
        yield* drain
        const outbox = yield* Outbox.Outbox
        yield* outbox.enqueue(Fx.fresh("key"), record("order-1"), Fx.at("12:00"))

        assert.lengthOf(yield* outbox.claim(10, Fx.at("11:59"), Fx.at("12:30")), 0)
        assert.lengthOf(yield* outbox.claim(10, Fx.at("12:00"), Fx.at("12:30")), 1)
      })
    )

    it.effect("a claim hides a message until its lease ends, then it comes back", () =>
      Effect.gen(function* () {
        yield* drain
        const outbox = yield* Outbox.Outbox
        yield* outbox.enqueue(Fx.fresh("key"), record("order-1"), Fx.at("12:00"))

        const first = yield* outbox.claim(10, Fx.at("12:00"), Fx.at("12:05"))
        const during = yield* outbox.claim(10, Fx.at("12:04"), Fx.at("12:09"))
        const after = yield* outbox.claim(10, Fx.at("12:05"), Fx.at("12:10"))

        assert.lengthOf(first, 1)
        assert.lengthOf(during, 0)
        assert.deepStrictEqual(
          after.map((c) => [c.id, c.attempts]),
          [[first[0]!.id, 2]]
        )
      })
    )

    it.effect("a completed message is never claimed again", () =>
      Effect.gen(function* () {
        yield* drain
        const outbox = yield* Outbox.Outbox
        yield* outbox.enqueue(Fx.fresh("key"), record("order-1"), Fx.at("12:00"))
        const [claimed] = yield* outbox.claim(10, Fx.at("12:00"), Fx.at("12:05"))

        yield* outbox.complete(claimed!.id)

        assert.lengthOf(yield* outbox.claim(10, Fx.at("13:00"), Fx.at("13:05")), 0)
      })
    )

    it.effect("a retry waits until its time and counts the attempt", () =>
      Effect.gen(function* () {
        yield* drain
        const outbox = yield* Outbox.Outbox
        yield* outbox.enqueue(Fx.fresh("key"), record("order-1"), Fx.at("12:00"))
        const [claimed] = yield* outbox.claim(10, Fx.at("12:00"), Fx.at("12:05"))

        yield* outbox.retry(claimed!.id, Fx.at("12:30"), "ERP unavailable")

        assert.lengthOf(yield* outbox.claim(10, Fx.at("12:29"), Fx.at("12:35")), 0)
        const again = yield* outbox.claim(10, Fx.at("12:30"), Fx.at("12:35"))
        assert.deepStrictEqual(
          again.map((c) => [c.id, c.attempts]),
          [[claimed!.id, 2]]
        )
      })
    )

    it.effect("claims honour the limit, oldest first", () =>
      Effect.gen(function* () {
        yield* drain
        const outbox = yield* Outbox.Outbox
        const ids = ["order-a", "order-b", "order-c"]
        yield* Effect.forEach(ids, (id, n) =>
          outbox.enqueue(Fx.fresh("key"), record(id), Fx.at(`12:0${n}`))
        )

        const first = yield* outbox.claim(2, Fx.at("12:10"), Fx.at("12:20"))
        const rest = yield* outbox.claim(2, Fx.at("12:10"), Fx.at("12:20"))

        assert.deepStrictEqual(
          [...first, ...rest].map((c) => c.message),
          ids.map(record)
        )
      })
    )

    it.effect("workers claiming at once never share a message", () =>
      Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        for (let round = 0; round < Math.min(rounds, 5); round++) {
          yield* drain
          yield* Effect.forEach(Array.from({ length: 12 }), (_, n) =>
            outbox.enqueue(Fx.fresh("key"), record(`order-${n}`), Fx.at("12:00"))
          )

          const batches = yield* Effect.all(
            Array.from({ length: 4 }, () => outbox.claim(5, Fx.at("12:00"), Fx.at("12:05"))),
            both
          )

          const ids = batches.flat().map((c) => c.id)
          assert.strictEqual(new Set(ids).size, ids.length)
          assert.strictEqual(ids.length, 12)
        }
      })
    )
  })

type All = CartStore.CartStore | OrderStore.OrderStore | Outbox.Outbox | Transactor.Transactor

/** Units of work land whole or not at all. */
export const transactorContract = (layer_: Layer.Layer<All, unknown>): void =>
  suite("Transactor contract", layer_, (it) => {
    const work = (cartId: ReturnType<typeof Fx.cartId>, orderId: ReturnType<typeof Fx.orderId>) =>
      Effect.gen(function* () {
        const carts = yield* CartStore.CartStore
        const orders = yield* OrderStore.OrderStore
        const outbox = yield* Outbox.Outbox
        yield* carts.save(Fx.cart(cartId, 1, []))
        yield* orders.create(Fx.order(orderId, cartId, Fx.at("12:00")))
        yield* orders.transition(orderId, paid("txn-1"), Fx.at("12:01"))
        yield* outbox.enqueue(`record:${orderId}`, record(orderId), Fx.at("12:01"))
      })

    const pending = Effect.gen(function* () {
      const outbox = yield* Outbox.Outbox
      const far = new Date("2999-01-01T00:00:00Z")
      const claimed = yield* outbox.claim(10_000, far, far)
      yield* Effect.forEach(claimed, (c) => outbox.complete(c.id), { discard: true })
      return claimed.map((c) => c.message)
    })

    it.effect("a unit of work that succeeds lands whole", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor.Transactor
        const [cartId, orderId] = [Fx.cartId(), Fx.orderId()]
        yield* pending

        yield* tx.withTransaction(work(cartId, orderId))

        const carts = yield* CartStore.CartStore
        const orders = yield* OrderStore.OrderStore
        assert.isTrue(Option.isSome(yield* carts.get(cartId)))
        assert.strictEqual(Option.getOrThrow(yield* orders.get(orderId)).status, "Paid")
        assert.deepStrictEqual(yield* pending, [record(orderId)])
      })
    )

    it.effect("a unit of work that fails leaves nothing behind", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor.Transactor
        const [cartId, orderId] = [Fx.cartId(), Fx.orderId()]
        yield* pending

        const error = yield* Effect.flip(
          tx.withTransaction(Effect.zipRight(work(cartId, orderId), Effect.fail("boom" as const)))
        )

        const carts = yield* CartStore.CartStore
        const orders = yield* OrderStore.OrderStore
        assert.strictEqual(error, "boom")
        assert.isTrue(Option.isNone(yield* carts.get(cartId)))
        assert.isTrue(Option.isNone(yield* orders.get(orderId)))
        assert.deepStrictEqual(yield* pending, [])
      })
    )

    it.effect("a store error inside a unit of work rolls back what came before", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor.Transactor
        const carts = yield* CartStore.CartStore
        const orders = yield* OrderStore.OrderStore
        const [cartId, orderId] = [Fx.cartId(), Fx.orderId()]

        const error = yield* Effect.flip(
          tx.withTransaction(
            Effect.zipRight(
              orders.create(Fx.order(orderId, cartId, Fx.at("12:00"))),
              carts.save(Fx.cart(cartId, 2, []))
            )
          )
        )

        assert.strictEqual(error._tag, "CartConflict")
        assert.isTrue(Option.isNone(yield* orders.get(orderId)))
      })
    )
  })
