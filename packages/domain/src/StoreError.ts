/**
 * The failure of our own state store. Nobody upstream can act on it beyond
 * retrying, so use cases let it surface as an error of their own or a defect.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** Our own store could not complete an operation. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Store ${this.operation} failed: ${this.detail}`
  }
}
