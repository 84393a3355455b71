/**
 * The shopper's cart id, kept in an httpOnly cookie.
 *
 * @since 0.1.0
 */
import { Ids } from "@mercantile/domain"
import * as Schema from "effect/Schema"
import { cookies } from "next/headers"

/** The cookie's name. */
export const name = "mercantile_cart"

const isCartId = Schema.is(Ids.CartId)

/** The cart id of this request, if the shopper has a (well-formed) one. */
export const read = async (): Promise<Ids.CartId | undefined> => {
  const value = (await cookies()).get(name)?.value
  return value !== undefined && isCartId(value) ? value : undefined
}

/**
 * A new cart id, not yet stored anywhere: 96 random bits in 16 base64url
 * characters. It is kept short because the order id derived from it
 * (`ord-<cart>-v<version>`) goes to SAP as `PurchaseOrderByCustomer`, which
 * holds at most 35 characters.
 */
export const fresh = (): Ids.CartId =>
  Ids.CartId.make(
    `cart-${Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url")}`
  )

/** Remembers the cart id for the shopper (in a Server Action), after its cart was saved. */
export const remember = async (cartId: Ids.CartId): Promise<void> => {
  ;(await cookies()).set(name, cartId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 30,
    secure: process.env["MERCANTILE_SECURE_COOKIES"] === "true"
  })
}

/** Forgets the shopper's cart (in a Server Action), so the next add starts a new one. */
export const forget = async (): Promise<void> => {
  ;(await cookies()).delete({ name, path: "/" })
}
