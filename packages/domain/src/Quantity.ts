/**
 * How many units of a SKU a cart line holds.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** The most units of one SKU a single cart line may hold. */
export const maximum = 999

/** A whole number of units from 1 to {@link maximum}. */
export const Quantity = Schema.Int.pipe(
  Schema.between(1, maximum, {
    message: () => `A quantity is a whole number from 1 to ${maximum}`
  }),
  Schema.brand("Quantity"),
  Schema.annotations({ identifier: "Quantity" })
)

/** @see Quantity */
export type Quantity = typeof Quantity.Type

/**
 * A quantity read from a form field: one to nine digits and nothing else
 * ("0x10", " 2" and "1e2" are refused), then {@link Quantity}.
 */
export const QuantityFromString = Schema.compose(
  Schema.String.pipe(
    Schema.pattern(/^[0-9]{1,9}$/, {
      message: () => `A quantity is a whole number from 1 to ${maximum}`
    })
  ),
  Schema.compose(Schema.NumberFromString, Quantity)
)
