/**
 * The message an action answered, if any.
 *
 * @since 0.1.0
 */
import type { ActionState } from "../ActionState"

/** Shows an action's success or error message. */
export function Notice({ state }: { readonly state: ActionState }) {
  switch (state.status) {
    case "idle":
      return null
    case "ok":
      return (
        <p className="notice ok" role="status" data-testid="action-ok">
          {state.message}
        </p>
      )
    case "error":
      return (
        <p
          className="notice error"
          role="alert"
          data-testid="action-error"
          data-error={state.error}
        >
          {state.message}
        </p>
      )
    case "price-moved":
      return (
        <p className="notice warn" role="alert" data-testid="price-moved">
          {state.message}
        </p>
      )
  }
}
