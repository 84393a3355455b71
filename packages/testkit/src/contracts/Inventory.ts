/**
 * The contract of the reservation ledger: no overselling under any
 * interleaving, all-or-nothing holds split across locations, holds that
 * expire, an expired hold that can never be committed, backorders up to a
 * SKU's limit and a cap on what one cart may hold.
 *
 * Locations are drawn from in the order of their ids unless the
 * implementation was configured otherwise; these cases name locations so
 * that both orders agree (`LOC-A` before `LOC-B`).
 *
 * @since 0.1.0
 */
import { assert, layer } from "@effect/vitest"
import { Inventory, Reservation } from "@mercantile/domain"
import type { Ids } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Fx from "./StoresFixtures"

/** How the inventory suite runs. */
export interface Options {
  /** Rounds of the two-callers-for-the-last-unit race (default 50). */
  readonly rounds?: number
  /** Callers of the many-callers race (default 200, on 50 units). */
  readonly callers?: number
}

const A = Fx.location("LOC-A")
const B = Fx.location("LOC-B")
const C = Fx.location("LOC-C")

const level = (sku: Ids.Sku, locationId: Ids.LocationId, available: number, version?: bigint) =>
  new Reservation.StockLevel({
    sku,
    locationId,
    available,
    ...(version === undefined ? {} : { version })
  })

const fifteen = (from: Date) => new Date(from.getTime() + 15 * 60_000)

const ledger = Inventory.Inventory

const hold = (cartId: Ids.CartId, lines: ReadonlyArray<readonly [Ids.Sku, number]>, now: Date) =>
  Effect.flatMap(ledger, (inventory) =>
    inventory.reserve({
      cartId,
      lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
      now,
      expiresAt: fifteen(now)
    })
  )

const figures = (sku: Ids.Sku, now: Date) =>
  Effect.flatMap(ledger, (inventory) => inventory.availability([sku], now)).pipe(
    Effect.map((rows) => rows.map((r) => [r.locationId, r.erpAvailable, r.promised, r.free]))
  )

const totalPromised = (sku: Ids.Sku, now: Date) =>
  Effect.flatMap(ledger, (inventory) => inventory.availability([sku], now)).pipe(
    Effect.map((rows) => rows.reduce((acc, r) => acc + r.promised, 0))
  )

const policy = (sku: Ids.Sku, backorderLimit: number, maxPerCart?: number) =>
  Effect.flatMap(ledger, (inventory) =>
    inventory.setPolicy(sku, {
      backorderLimit,
      ...(maxPerCart === undefined ? {} : { maxPerCart })
    })
  )

const split = (reservations: ReadonlyArray<Reservation.Reservation>) =>
  reservations
    .map((r) => [r.sku, r.locationId, r.quantity, r.status] as const)
    .sort((x, y) => (`${x[0]}${x[1]}` < `${y[0]}${y[1]}` ? -1 : 1))

/** Registers the inventory contract against `layer_`. */
export const inventoryContract = (
  layer_: Layer.Layer<Inventory.Inventory, unknown>,
  options: Options = {}
): void =>
  layer(layer_, { timeout: "120 seconds", excludeTestServices: true })(
    "Inventory contract",
    (it) => {
      const rounds = options.rounds ?? 50
      const callers = options.callers ?? 200
      const noon = Fx.at("12:00")

      it.effect("records stock and ignores a figure older than the stored one", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 5, 10n), level(sku, B, 2)])

          yield* inventory.recordStock([level(sku, A, 1, 9n), level(sku, B, 7)])
          const afterOlder = yield* figures(sku, noon)
          yield* inventory.recordStock([level(sku, A, 4, 10n)])
          yield* inventory.recordStock([level(sku, A, 3, 2n ** 62n)])

          assert.deepStrictEqual(afterOlder, [
            [A, 5, 0, 5],
            [B, 7, 0, 7]
          ])
          assert.deepStrictEqual(yield* figures(sku, noon), [
            [A, 3, 0, 3],
            [B, 7, 0, 7]
          ])
          assert.deepStrictEqual(yield* inventory.availability([Fx.sku()], noon), [])
        })
      )

      it.effect("splits a line across locations in order, never past what one has", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, B, 5), level(sku, A, 2), level(sku, C, 0)])

          const held = yield* hold(Fx.cartId(), [[sku, 4]], noon)

          assert.deepStrictEqual(split(held), [
            [sku, A, 2, "Held"],
            [sku, B, 2, "Held"]
          ])
          assert.deepStrictEqual(yield* figures(sku, noon), [
            [A, 2, 2, 0],
            [B, 5, 2, 3],
            [C, 0, 0, 0]
          ])
          assert.isTrue(held.every((r) => r.expiresAt.getTime() === fifteen(noon).getTime()))
        })
      )

      it.effect("holds every line or nothing", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const [plenty, scarce] = [Fx.sku(), Fx.sku()]
          yield* inventory.recordStock([
            level(plenty, A, 10),
            level(scarce, A, 1),
            level(scarce, B, 1)
          ])

          const error = yield* Effect.flip(
            hold(
              Fx.cartId(),
              [
                [plenty, 3],
                [scarce, 3]
              ],
              noon
            )
          )

          assert.instanceOf(error, Inventory.OutOfStock)
          assert.include(error, { sku: scarce, requested: 3, available: 2 })
          assert.strictEqual(yield* totalPromised(plenty, noon), 0)
          assert.strictEqual(yield* totalPromised(scarce, noon), 0)
        })
      )

      it.effect("a SKU the ledger has never seen is out of stock", () =>
        Effect.gen(function* () {
          const sku = Fx.sku()
          const error = yield* Effect.flip(hold(Fx.cartId(), [[sku, 1]], noon))
          assert.include(error, { _tag: "OutOfStock", sku, requested: 1, available: 0 })
        })
      )

      it.effect("lines of one SKU are held together", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 3)])

          const error = yield* Effect.flip(
            hold(
              Fx.cartId(),
              [
                [sku, 2],
                [sku, 2]
              ],
              noon
            )
          )
          const held = yield* hold(
            Fx.cartId(),
            [
              [sku, 1],
              [sku, 2]
            ],
            noon
          )

          assert.include(error, { _tag: "OutOfStock", requested: 4, available: 3 })
          assert.deepStrictEqual(split(held), [[sku, A, 3, "Held"]])
        })
      )

      it.effect("C6: two callers for the last unit, again and again: exactly one wins", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          for (let round = 0; round < rounds; round++) {
            const sku = Fx.sku()
            yield* inventory.recordStock([level(sku, A, 1)])
            const carts = [Fx.cartId(), Fx.cartId()]

            const results = yield* Effect.all(
              carts.map((cartId) => Effect.either(hold(cartId, [[sku, 1]], noon))),
              { concurrency: "unbounded" }
            )

            const winners = results.flatMap((r, n) => (Either.isRight(r) ? [carts[n]!] : []))
            const losers = results.filter(Either.isLeft).map((r) => r.left)
            assert.lengthOf(winners, 1)
            assert.lengthOf(losers, 1)
            assert.include(losers[0], { _tag: "OutOfStock", available: 0 })
            assert.strictEqual(yield* totalPromised(sku, noon), 1)

            assert.strictEqual(yield* inventory.release({ cartId: winners[0]! }), 1)
            assert.strictEqual(yield* totalPromised(sku, noon), 0)
            assert.strictEqual(yield* inventory.release({ cartId: winners[0]! }), 0)
            assert.strictEqual(yield* totalPromised(sku, noon), 0)
          }
        })
      )

      it.effect(`C6: ${callers} callers on 50 units: exactly 50 win`, () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 30), level(sku, B, 20)])

          const results = yield* Effect.all(
            Array.from({ length: callers }, () =>
              Effect.either(hold(Fx.cartId(), [[sku, 1]], noon))
            ),
            { concurrency: "unbounded" }
          )

          assert.strictEqual(results.filter(Either.isRight).length, 50)
          assert.strictEqual(results.filter(Either.isLeft).length, callers - 50)
          assert.deepStrictEqual(yield* figures(sku, noon), [
            [A, 30, 30, 0],
            [B, 20, 20, 0]
          ])
        })
      )

      it.effect("backorders up to the SKU's limit, on the first location, then refuses", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, B, 1), level(sku, A, 1)])
          yield* policy(sku, 2)

          const first = yield* hold(Fx.cartId(), [[sku, 3]], noon)
          const afterFirst = yield* figures(sku, noon)
          const tooMany = yield* Effect.flip(hold(Fx.cartId(), [[sku, 2]], noon))
          const last = yield* hold(Fx.cartId(), [[sku, 1]], noon)
          const none = yield* Effect.flip(hold(Fx.cartId(), [[sku, 1]], noon))

          assert.deepStrictEqual(split(first), [
            [sku, A, 2, "Held"],
            [sku, B, 1, "Held"]
          ])
          assert.deepStrictEqual(afterFirst, [
            [A, 1, 2, 1],
            [B, 1, 1, 0]
          ])
          assert.include(tooMany, {
            _tag: "OutOfStock",
            reason: "Stock",
            requested: 2,
            available: 1
          })
          assert.deepStrictEqual(split(last), [[sku, A, 1, "Held"]])
          assert.include(none, { _tag: "OutOfStock", reason: "Stock", available: 0 })
          assert.deepStrictEqual(yield* figures(sku, noon), [
            [A, 1, 3, 0],
            [B, 1, 1, 0]
          ])
        })
      )

      it.effect("backorders count units already promised past the ERP's figure", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 4, 1n)])
          yield* policy(sku, 3)
          yield* hold(Fx.cartId(), [[sku, 4]], noon)

          yield* inventory.recordStock([level(sku, A, 2, 2n)])
          const error = yield* Effect.flip(hold(Fx.cartId(), [[sku, 2]], noon))
          const held = yield* hold(Fx.cartId(), [[sku, 1]], noon)

          assert.include(error, { _tag: "OutOfStock", requested: 2, available: 1 })
          assert.deepStrictEqual(split(held), [[sku, A, 1, "Held"]])
          assert.deepStrictEqual(yield* figures(sku, noon), [[A, 2, 5, 0]])
        })
      )

      it.effect("without backorders a SKU is refused at 0, also once a limit is lifted", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 1)])
          yield* policy(sku, 5)
          yield* policy(sku, 0)

          yield* hold(Fx.cartId(), [[sku, 1]], noon)
          const error = yield* Effect.flip(hold(Fx.cartId(), [[sku, 1]], noon))

          assert.include(error, { _tag: "OutOfStock", reason: "Stock", requested: 1, available: 0 })
          assert.deepStrictEqual(yield* figures(sku, noon), [[A, 1, 1, 0]])
        })
      )

      it.effect("a cart past the SKU's per-cart cap is refused even with stock", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const [capped, other] = [Fx.sku(), Fx.sku()]
          const cartA = Fx.cartId()
          yield* inventory.recordStock([level(capped, A, 10), level(other, A, 10)])
          yield* policy(capped, 0, 2)

          const over = yield* Effect.flip(hold(cartA, [[capped, 3]], noon))
          const held = yield* hold(cartA, [[capped, 2]], noon)
          const again = yield* Effect.flip(
            hold(
              cartA,
              [
                [other, 1],
                [capped, 2],
                [capped, 1]
              ],
              noon
            )
          )

          assert.instanceOf(over, Inventory.OutOfStock)
          assert.include(over, { sku: capped, reason: "CartLimit", requested: 3, available: 2 })
          assert.include(over.message, "per cart")
          assert.deepStrictEqual(split(held), [[capped, A, 2, "Held"]])
          assert.include(again, { reason: "CartLimit", requested: 3, available: 2 })
          assert.deepStrictEqual(yield* figures(capped, noon), [[A, 10, 2, 8]])
          assert.strictEqual(yield* totalPromised(other, noon), 0)
        })
      )

      it.effect("the cap is checked before stock, even for a SKU the ledger has not seen", () =>
        Effect.gen(function* () {
          const sku = Fx.sku()
          yield* policy(sku, 10, 1)

          const error = yield* Effect.flip(hold(Fx.cartId(), [[sku, 2]], noon))
          const unseen = yield* Effect.flip(hold(Fx.cartId(), [[sku, 1]], noon))

          assert.include(error, { reason: "CartLimit", requested: 2, available: 1 })
          assert.include(unseen, { reason: "Stock", requested: 1, available: 0 })
        })
      )

      it.effect("a refused retry keeps the cart's holds", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const [sku, scarce] = [Fx.sku(), Fx.sku()]
          const cartA = Fx.cartId()
          yield* inventory.recordStock([level(sku, A, 3), level(scarce, A, 0)])
          const first = yield* hold(cartA, [[sku, 2]], noon)

          const error = yield* Effect.flip(
            hold(
              cartA,
              [
                [sku, 3],
                [scarce, 1]
              ],
              Fx.at("12:05")
            )
          )
          const committed = yield* inventory.commit(cartA, Fx.orderId(), Fx.at("12:06"))

          assert.include(error, { sku: scarce, reason: "Stock" })
          assert.deepStrictEqual(yield* figures(sku, Fx.at("12:06")), [[A, 3, 2, 1]])
          assert.deepStrictEqual(
            committed.map((r) => r.id),
            first.map((r) => r.id)
          )
        })
      )

      it.effect(`C6 with backorders: ${callers} callers on 0 units and a limit of 20`, () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 0)])
          yield* policy(sku, 20)

          const results = yield* Effect.all(
            Array.from({ length: callers }, () =>
              Effect.either(hold(Fx.cartId(), [[sku, 1]], noon))
            ),
            { concurrency: "unbounded" }
          )

          assert.strictEqual(results.filter(Either.isRight).length, 20)
          assert.deepStrictEqual(yield* figures(sku, noon), [[A, 0, 20, 0]])
        })
      )

      it.effect("C7: a hold kept after a failed payment blocks others until it expires", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          const [cartA, cartB] = [Fx.cartId(), Fx.cartId()]
          yield* inventory.recordStock([level(sku, A, 1)])
          yield* hold(cartA, [[sku, 1]], Fx.at("12:00"))

          const at1205 = yield* Effect.flip(hold(cartB, [[sku, 1]], Fx.at("12:05")))
          const expired = yield* inventory.expire(Fx.at("12:15:01"))
          const free = yield* figures(sku, Fx.at("12:15:01"))
          const committed = yield* inventory.commit(cartA, Fx.orderId(), Fx.at("12:16"))
          const heldByB = yield* hold(cartB, [[sku, 1]], Fx.at("12:15:01"))

          assert.include(at1205, { _tag: "OutOfStock", available: 0 })
          assert.isAtLeast(expired, 1)
          assert.deepStrictEqual(free, [[A, 1, 0, 1]])
          assert.deepStrictEqual(committed, [])
          assert.deepStrictEqual(split(heldByB), [[sku, A, 1, "Held"]])
        })
      )

      it.effect("C7: a cart's own retry is not blocked by its own hold", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          const cartA = Fx.cartId()
          yield* inventory.recordStock([level(sku, A, 1)])
          const first = yield* hold(cartA, [[sku, 1]], Fx.at("12:00"))

          const retry = yield* hold(cartA, [[sku, 1]], Fx.at("12:03"))
          const committed = yield* inventory.commit(cartA, Fx.orderId(), Fx.at("12:04"))

          assert.deepStrictEqual(split(retry), [[sku, A, 1, "Held"]])
          assert.notStrictEqual(retry[0]!.id, first[0]!.id)
          assert.deepStrictEqual(
            committed.map((r) => [r.id, r.status]),
            [[retry[0]!.id, "Committed"]]
          )
          assert.deepStrictEqual(yield* figures(sku, Fx.at("12:04")), [[A, 1, 1, 0]])
        })
      )

      it.effect("an expired hold can never be committed, even before the sweep", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          const cartA = Fx.cartId()
          yield* inventory.recordStock([level(sku, A, 2)])
          yield* hold(cartA, [[sku, 2]], Fx.at("12:00"))

          const committed = yield* inventory.commit(cartA, Fx.orderId(), Fx.at("12:15"))

          assert.deepStrictEqual(committed, [])
          assert.deepStrictEqual(yield* figures(sku, Fx.at("12:15")), [[A, 2, 0, 2]])
          const other = yield* hold(Fx.cartId(), [[sku, 2]], Fx.at("12:15"))
          assert.lengthOf(other, 1)
        })
      )

      it.effect("commit attaches live holds to an order; committed units stay promised", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          const [cartA, orderA] = [Fx.cartId(), Fx.orderId()]
          yield* inventory.recordStock([level(sku, A, 1), level(sku, B, 1)])
          yield* hold(cartA, [[sku, 2]], noon)

          const committed = yield* inventory.commit(cartA, orderA, Fx.at("12:05"))
          const again = yield* inventory.commit(cartA, orderA, Fx.at("12:06"))
          yield* inventory.expire(Fx.at("13:00"))
          const byCart = yield* inventory.release({ cartId: cartA })

          assert.deepStrictEqual(
            split(committed).map(([, loc, q, status]) => [loc, q, status]),
            [
              [A, 1, "Committed"],
              [B, 1, "Committed"]
            ]
          )
          assert.isTrue(committed.every((r) => r.orderId === orderA))
          assert.deepStrictEqual(split(again), split(committed))
          assert.strictEqual(byCart, 0)
          assert.strictEqual(yield* totalPromised(sku, Fx.at("13:00")), 2)

          assert.strictEqual(yield* inventory.release({ orderId: orderA }), 2)
          assert.strictEqual(yield* totalPromised(sku, Fx.at("13:00")), 0)
          assert.strictEqual(yield* inventory.release({ orderId: orderA }), 0)
        })
      )

      it.effect("expire returns the units of lapsed holds only", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 5)])
          yield* hold(Fx.cartId(), [[sku, 2]], Fx.at("12:00"))
          yield* hold(Fx.cartId(), [[sku, 1]], Fx.at("12:10"))

          yield* inventory.expire(Fx.at("12:20"))

          assert.deepStrictEqual(yield* figures(sku, Fx.at("12:20")), [[A, 5, 1, 4]])
          yield* inventory.expire(Fx.at("12:26"))
          assert.deepStrictEqual(yield* figures(sku, Fx.at("12:26")), [[A, 5, 0, 5]])
        })
      )

      it.effect("a falling ERP figure leaves nothing free and never a negative", () =>
        Effect.gen(function* () {
          const inventory = yield* ledger
          const sku = Fx.sku()
          yield* inventory.recordStock([level(sku, A, 3, 1n)])
          yield* hold(Fx.cartId(), [[sku, 3]], noon)

          yield* inventory.recordStock([level(sku, A, 1, 2n)])
          const error = yield* Effect.flip(hold(Fx.cartId(), [[sku, 1]], noon))

          assert.deepStrictEqual(yield* figures(sku, noon), [[A, 1, 3, 0]])
          assert.include(error, { _tag: "OutOfStock", available: 0 })
        })
      )
    }
  )
