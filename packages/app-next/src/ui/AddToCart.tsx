"use client"
/**
 * The product page's add-to-cart form.
 *
 * @since 0.1.0
 */
import Link from "next/link"
import { useActionState } from "react"
import { addToCart } from "../../app/actions"
import { idle } from "../ActionState"
import { Notice } from "./Notice"

/** Adds a quantity of `sku` to the cart and shows the outcome. */
export function AddToCart({ sku, disabled }: { readonly sku: string; readonly disabled: boolean }) {
  const [state, action, pending] = useActionState(addToCart, idle)
  return (
    <form action={action} className="add-to-cart" data-testid="add-to-cart-form">
      <input type="hidden" name="sku" value={sku} />
      <label>
        Quantity
        <input
          type="number"
          name="quantity"
          defaultValue={1}
          min={1}
          max={999}
          data-testid="quantity"
        />
      </label>
      <button type="submit" disabled={disabled || pending} data-testid="add-to-cart">
        {pending ? "Adding…" : "Add to cart"}
      </button>
      <Notice state={state} />
      {state.status === "ok" && (
        <Link href="/cart" data-testid="go-to-cart">
          View cart
        </Link>
      )}
    </form>
  )
}
