"use client"
/**
 * A cart line's quantity and remove forms.
 *
 * @since 0.1.0
 */
import { useActionState } from "react"
import { changeQuantity, removeLine } from "../../app/actions"
import { idle } from "../ActionState"
import { Notice } from "./Notice"

/** Changes the quantity of, or removes, the line of `sku`. */
export function CartLineForms({
  sku,
  quantity
}: {
  readonly sku: string
  readonly quantity: number
}) {
  const [changed, change, changing] = useActionState(changeQuantity, idle)
  const [removed, remove, removing] = useActionState(removeLine, idle)
  return (
    <div className="line-forms">
      <form action={change} className="inline">
        <input type="hidden" name="sku" value={sku} />
        <input
          type="number"
          name="quantity"
          defaultValue={quantity}
          min={1}
          max={999}
          aria-label={`Quantity of ${sku}`}
          data-testid="line-quantity"
        />
        <button type="submit" disabled={changing} data-testid="update-quantity">
          Update
        </button>
      </form>
      <form action={remove} className="inline">
        <input type="hidden" name="sku" value={sku} />
        <button type="submit" disabled={removing} className="secondary" data-testid="remove-line">
          Remove
        </button>
      </form>
      <Notice state={changed.status === "idle" ? removed : changed} />
    </div>
  )
}
