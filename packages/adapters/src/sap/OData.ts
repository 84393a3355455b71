/**
 * The OData v2 wire format SAP S/4HANA speaks: JSON envelopes, `/Date(ms)/`
 * dates, decimal strings, and error bodies in JSON or XML.
 *
 * @since 0.1.0
 */
import { XMLParser } from "fast-xml-parser"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** `__metadata` of an entity; `etag` is present on entities with optimistic locking. */
export const Metadata = Schema.Struct({
  id: Schema.optional(Schema.String),
  uri: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  etag: Schema.optional(Schema.String)
})

/** A navigation property that was not expanded. */
export const Deferred = Schema.Struct({
  __deferred: Schema.Struct({ uri: Schema.String })
})

/** A to-many navigation: deferred, or expanded as `{ results }`. */
export const ToMany = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Union(Deferred, Schema.Struct({ results: Schema.Array(item) }))

/** One entity: `{ d: entity }`. */
export const Entity = <A, I, R>(entity: Schema.Schema<A, I, R>) => Schema.Struct({ d: entity })

/** A collection page: `{ d: { results, __count?, __next? } }`; `__count` is a string. */
export const Collection = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    d: Schema.Struct({
      results: Schema.Array(item),
      __count: Schema.optional(Schema.NumberFromString),
      __next: Schema.optional(Schema.String)
    })
  })

const datePattern = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/

/**
 * `Edm.DateTime` / `Edm.DateTimeOffset` as `/Date(1583073519000)/` or
 * `/Date(1583073519000+0000)/`. The milliseconds are UTC either way; the
 * offset only says which local time the server meant, so it is not applied.
 */
export const ODataDate = Schema.transformOrFail(Schema.String, Schema.DateFromSelf, {
  strict: true,
  decode: (input, _, ast) => {
    const match = datePattern.exec(input)
    return match === null
      ? ParseResult.fail(new ParseResult.Type(ast, input, `Not an OData date: ${input}`))
      : ParseResult.succeed(new Date(Number(match[1])))
  },
  encode: (date) => ParseResult.succeed(`/Date(${date.getTime()})/`)
}).annotations({ identifier: "ODataDate" })

/** An `Edm.Decimal` or quantity: a decimal string, kept as text until it meets a currency. */
export const Decimal = Schema.String.pipe(
  Schema.pattern(/^-?\d+(?:\.\d+)?$/, { message: () => "An Edm.Decimal string" }),
  Schema.annotations({ identifier: "EdmDecimal" })
)

/** Reads a decimal quantity that must be a whole number ("12.000" → 12). */
export const wholeQuantity = (input: string): Either.Either<number, string> => {
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(input)
  if (match === null || /[1-9]/.test(match[2] ?? "")) {
    return Either.left(`not a whole quantity: ${input}`)
  }
  const value = Number(match[1])
  return Number.isSafeInteger(value) ? Either.right(value) : Either.left(`too large: ${input}`)
}

/** One message of `innererror.errordetails`. */
export const ErrorDetail = Schema.Struct({
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  propertyref: Schema.optional(Schema.String),
  severity: Schema.optional(Schema.String),
  target: Schema.optional(Schema.String)
})

/** The OData v2 error body: `{ error: { code, message: { lang, value }, innererror } }`. */
export const ErrorBody = Schema.Struct({
  error: Schema.Struct({
    code: Schema.String,
    message: Schema.Struct({
      lang: Schema.optional(Schema.String),
      value: Schema.String
    }),
    innererror: Schema.optional(
      Schema.Struct({
        transactionid: Schema.optional(Schema.String),
        timestamp: Schema.optional(Schema.String),
        errordetails: Schema.optional(Schema.Array(ErrorDetail))
      })
    )
  })
})
/** @see ErrorBody */
export type ErrorBody = typeof ErrorBody.Type

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === "errordetail"
})

const textOf = (node: unknown): string | undefined => {
  if (typeof node === "string") return node
  if (typeof node === "object" && node !== null && "#text" in node) {
    const text = (node as { "#text": unknown })["#text"]
    return typeof text === "string" ? text : undefined
  }
  return undefined
}

const langOf = (node: unknown): string | undefined =>
  typeof node === "object" && node !== null && "@lang" in node
    ? String((node as { "@lang": unknown })["@lang"])
    : undefined

/**
 * Rewrites an XML error document into the JSON error shape: SAP Gateway
 * answers XML for some errors even when JSON was asked for.
 */
export const xmlErrorToJson = (text: string): unknown => {
  const doc: unknown = xml.parse(text)
  const error = (doc as { error?: Record<string, unknown> }).error
  if (error === undefined) return doc
  const inner = error["innererror"] as Record<string, unknown> | undefined
  const details = (inner?.["errordetails"] as { errordetail?: Array<Record<string, unknown>> })
    ?.errordetail
  const detail = (d: Record<string, unknown>) =>
    Object.fromEntries(
      ["code", "message", "propertyref", "severity", "target"].flatMap((key) => {
        const value = textOf(d[key])
        return value === undefined ? [] : [[key, value]]
      })
    )
  const lang = langOf(error["message"])
  return {
    error: {
      code: textOf(error["code"]) ?? "",
      message: { ...(lang === undefined ? {} : { lang }), value: textOf(error["message"]) ?? "" },
      ...(inner === undefined
        ? {}
        : {
            innererror: {
              ...(textOf(inner["transactionid"]) === undefined
                ? {}
                : { transactionid: textOf(inner["transactionid"]) }),
              errordetails: (details ?? []).map(detail)
            }
          })
    }
  }
}

/** A readable one-line summary of an error body, with its detail messages. */
export const describeError = (body: ErrorBody): string => {
  const details = (body.error.innererror?.errordetails ?? [])
    .map((d) => d.message)
    .filter((m): m is string => m !== undefined && m !== body.error.message.value)
  return [`${body.error.code}: ${body.error.message.value}`, ...details].join("; ")
}

/** Quotes a value for a `$filter` literal (`'` doubled). */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`
