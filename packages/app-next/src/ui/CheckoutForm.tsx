"use client"
/**
 * The cart's checkout form. It sends the total the shopper saw; when the live
 * total moved, it shows the new one and asks to confirm it.
 *
 * @since 0.1.0
 */
import { useActionState } from "react"
import { checkout } from "../../app/actions"
import { idle, type ShownAmount } from "../ActionState"
import { Notice } from "./Notice"

/** Checks out at `total`, or at the new total once the shopper confirms it. */
export function CheckoutForm({ total }: { readonly total: ShownAmount }) {
  const [state, action, pending] = useActionState(checkout, idle)
  const confirmed = state.status === "price-moved" ? state.current : total
  return (
    <form action={action} className="checkout" data-testid="checkout-form">
      <input type="hidden" name="confirmedTotal" value={confirmed.amount} />
      <Notice state={state} />
      <button type="submit" disabled={pending} data-testid="checkout">
        {pending
          ? "Starting checkout…"
          : state.status === "price-moved"
            ? `Confirm ${confirmed.text} and pay`
            : `Pay ${confirmed.text}`}
      </button>
    </form>
  )
}
