/**
 * What a Server Action answers: plain, serialisable data the page shows.
 *
 * @since 0.1.0
 */

/** A shown amount (see `reads.ts`). */
export interface ShownAmount {
  readonly amount: string
  readonly currency: string
  readonly text: string
}

/** The outcome of a cart or checkout action. */
export type ActionState =
  | { readonly status: "idle" }
  | { readonly status: "ok"; readonly message: string }
  | {
      readonly status: "error"
      /** The error's tag ("InvalidInput", "UnknownSku", "OutOfStock", ...). */
      readonly error: string
      readonly message: string
    }
  | {
      readonly status: "price-moved"
      readonly message: string
      /** The live total to confirm now. */
      readonly current: ShownAmount
    }

/** Before any action ran. */
export const idle: ActionState = { status: "idle" }
