/**
 * What the storefront's Server Actions accept, decoded with Schema.
 *
 * A shopper's browser sends SKUs and quantities, never prices: every other
 * field (a smuggled `price`, `unitPrice`, ...) is refused with a clear error
 * before anything is read or written.
 *
 * @since 0.1.0
 */
import { Ids, Quantity } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** A form did not hold what the action accepts. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

/** Add to the cart, or set a line's quantity. */
export const LineInput = Schema.Struct({
  sku: Ids.Sku,
  quantity: Quantity.QuantityFromString
})

/** Remove a line. */
export const RemoveInput = Schema.Struct({ sku: Ids.Sku })

/** Check out, confirming the total the page showed. */
export const CheckoutInput = Schema.Struct({
  confirmedTotal: Schema.String.pipe(
    Schema.pattern(/^\d{1,12}(?:\.\d{1,4})?$/, {
      message: () => "The confirmed total is a decimal amount"
    })
  )
})

/** Fields React adds to a form posted without JavaScript; they name the action, not its input. */
const isFrameworkField = (name: string): boolean => name.startsWith("$ACTION_")

/** A form's text fields; a file or a repeated field is refused. */
export const fields = (
  form: Iterable<readonly [string, FormDataEntryValue]>
): Effect.Effect<Record<string, string>, InvalidInput> =>
  Effect.suspend(() => {
    const out: Record<string, string> = {}
    for (const [name, value] of form) {
      if (isFrameworkField(name)) continue
      if (typeof value !== "string") {
        return Effect.fail(new InvalidInput({ detail: `${name}: files are not accepted` }))
      }
      if (Object.hasOwn(out, name)) {
        return Effect.fail(new InvalidInput({ detail: `${name}: given more than once` }))
      }
      out[name] = value
    }
    return Effect.succeed(out)
  })

const describe = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) =>
      issue._tag === "Unexpected"
        ? `${issue.path.join(".")}: this field is not accepted`
        : `${issue.path.join(".") || "form"}: ${issue.message}`
    )
    .join("; ")

/** Decodes a form with `schema`, refusing any field the schema does not name. */
export const decode =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (form: Iterable<readonly [string, FormDataEntryValue]>): Effect.Effect<A, InvalidInput> =>
    Effect.flatMap(fields(form), (record) =>
      Schema.decodeUnknown(schema, { onExcessProperty: "error", errors: "all" })(record).pipe(
        Effect.mapError((error) => new InvalidInput({ detail: describe(error) }))
      )
    )
