"use client"
/**
 * Once the order page shows the order paid, forgets the shopper's cart (its
 * cookie), so the next add to cart starts a new cart.
 *
 * @since 0.1.0
 */
import { useEffect } from "react"
import { forgetPaidCart } from "../../app/actions"

/** Clears the cart cookie when it still names the paid order's cart. */
export function ForgetCart({ orderId }: { readonly orderId: string }) {
  useEffect(() => {
    void forgetPaidCart(orderId)
  }, [orderId])
  return null
}
