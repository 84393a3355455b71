/**
 * Carts in PostgreSQL. A save is one conditional write: an insert of
 * version 1, or an update from exactly the previous version, so two saves
 * from the same version can never both land.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Cart, CartStore } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { orStoreError } from "./internal/errors"

const CartRow = Schema.Struct({
  id: Schema.String,
  version: Schema.Int,
  currency: Schema.String,
  customer_id: Schema.NullOr(Schema.String),
  promotion_codes: Schema.Unknown,
  lines: Schema.Unknown
})

const decodeRow = Schema.decodeUnknown(CartRow)
const decodeCart = Schema.decodeUnknown(Cart.Cart)
const encodeCart = Schema.encode(Cart.Cart)

const toCart = (row: typeof CartRow.Type) =>
  decodeCart({
    id: row.id,
    version: row.version,
    currency: row.currency,
    promotionCodes: row.promotion_codes,
    lines: row.lines,
    ...(row.customer_id === null ? {} : { customerId: row.customer_id })
  })

/** Builds the PostgreSQL `CartStore`. */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const versionOf = (id: string) =>
    Effect.map(
      sql<{ version: number }>`SELECT version FROM carts WHERE id = ${id}`,
      (rows) => rows[0]?.version ?? 0
    )

  const write = (cart: Cart.Cart) =>
    Effect.gen(function* () {
      const encoded = yield* encodeCart(cart)
      const lines = JSON.stringify(encoded.lines)
      const codes = JSON.stringify(encoded.promotionCodes ?? [])
      const customer = cart.customerId ?? null
      return cart.version === 1
        ? yield* sql`
            INSERT INTO carts (id, version, currency, customer_id, promotion_codes, lines)
            VALUES (${cart.id}, 1, ${cart.currency}, ${customer}, ${codes}::jsonb, ${lines}::jsonb)
            ON CONFLICT (id) DO NOTHING
            RETURNING id`
        : yield* sql`
            UPDATE carts
            SET version = ${cart.version}, currency = ${cart.currency},
                customer_id = ${customer}, promotion_codes = ${codes}::jsonb,
                lines = ${lines}::jsonb, updated_at = now()
            WHERE id = ${cart.id} AND version = ${cart.version - 1}
            RETURNING id`
    })

  return CartStore.CartStore.of({
    get: (id) =>
      sql`SELECT id, version, currency, customer_id, promotion_codes, lines
          FROM carts WHERE id = ${id}`.pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.succeedNone
            : Effect.asSome(Effect.flatMap(decodeRow(rows[0]), toCart))
        ),
        orStoreError("CartStore.get"),
        Effect.withSpan("CartStore.get", { attributes: { cart_id: id } })
      ),

    save: (cart) =>
      Effect.gen(function* () {
        const written = cart.version >= 1 ? yield* write(cart) : []
        if (written.length === 1) return
        const actualVersion = yield* versionOf(cart.id)
        return yield* new CartStore.CartConflict({
          cartId: cart.id,
          expectedVersion: cart.version - 1,
          actualVersion
        })
      }).pipe(
        orStoreError("CartStore.save"),
        Effect.withSpan("CartStore.save", { attributes: { cart_id: cart.id } })
      )
  })
})

/** Provides the PostgreSQL `CartStore` over a `SqlClient`. */
export const layer: Layer.Layer<CartStore.CartStore, never, SqlClient.SqlClient> = Layer.effect(
  CartStore.CartStore,
  make
)
