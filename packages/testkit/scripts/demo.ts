/**
 * The domain outside Next.js: prices a cart and reserves its stock with the
 * in-memory layers, in plain Node. Run it with `npm run demo` at the root.
 */
import { CartService, Checkout, Ids, Inventory, Money } from "@mercantile/domain"
import { Harness } from "@mercantile/testkit"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

const seed = {
  erp: {
    taxInclusive: true,
    items: [
      {
        sku: "MUG-1",
        name: "Mug",
        prices: { EUR: "12.90" },
        stock: [{ location: "WH-1", available: 5 }]
      },
      {
        sku: "TEE-1",
        name: "Tee",
        prices: { EUR: "24.50" },
        stock: [{ location: "WH-1", available: 2 }]
      }
    ]
  }
}

const program = Effect.gen(function* () {
  const carts = yield* CartService.CartService
  const checkout = yield* Checkout.Checkout
  const inventory = yield* Inventory.Inventory
  const cartId = Ids.CartId.make("demo-cart")

  yield* carts.add(cartId, Ids.Sku.make("MUG-1"), 3)
  const { priced } = yield* carts.add(cartId, Ids.Sku.make("TEE-1"), 2)
  for (const line of priced.lines) {
    yield* Effect.logInfo("line priced").pipe(
      Effect.annotateLogs({
        sku: line.sku,
        quantity: line.quantity,
        unit_price: Money.format(line.unitPrice),
        tax: Money.format(line.tax),
        total: Money.format(line.total)
      })
    )
  }
  yield* Effect.logInfo("cart priced").pipe(
    Effect.annotateLogs({ total: Money.format(priced.total), tax: Money.format(priced.tax) })
  )

  const { order, transaction } = yield* checkout.start(cartId, Option.some(priced.total))
  const free = yield* inventory.availability(
    order.lines.map((line) => line.sku),
    new Date()
  )
  yield* Effect.logInfo("stock reserved").pipe(
    Effect.annotateLogs({
      order_id: order.id,
      pay_at: transaction.checkoutUrl,
      free_after_hold: free.map((a) => `${a.sku}@${a.locationId}=${a.free}`).join(" ")
    })
  )
})

program
  .pipe(
    Effect.provide(Harness.layer(seed)),
    Effect.tapErrorCause((cause) => Effect.logError("demo failed", cause)),
    Effect.runPromise
  )
  .catch(() => {
    process.exitCode = 1
  })
