/**
 * Exact amounts of money in an ISO 4217 currency.
 *
 * An amount is held as a whole number of the currency's minor units (cents
 * for EUR, yen for JPY, fils for KWD) in a `bigint`: it is never a float, and
 * it never carries a fraction of a minor unit. Quantities that are finer than
 * a minor unit during a computation (a tax share, a percentage) are kept as
 * exact rationals by the caller and rounded here with a named mode.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Currency from "./Currency"
import * as Rounding from "./Rounding"

/** An exact amount: `minor` whole minor units of `currency`. */
export interface Money {
  readonly currency: Currency.CurrencyCode
  readonly minor: bigint
}

/** An amount could not be read, or two currencies were mixed. */
export class MoneyError extends Data.TaggedError("MoneyError")<{
  readonly reason: "InvalidAmount" | "TooPrecise" | "CurrencyMismatch"
  readonly input: string
}> {
  override get message(): string {
    switch (this.reason) {
      case "InvalidAmount":
        return `Not a decimal amount: ${this.input}`
      case "TooPrecise":
        return `More decimals than the currency's minor unit: ${this.input}`
      case "CurrencyMismatch":
        return `Currencies differ: ${this.input}`
    }
  }
}

/** Builds an amount from whole minor units. */
export const make = (currency: Currency.CurrencyCode, minor: bigint): Money => ({ currency, minor })

/** Zero in `currency`. */
export const zero = (currency: Currency.CurrencyCode): Money => make(currency, 0n)

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/

/**
 * Reads a decimal string ("18.600", "499", "-0.5") as an exact amount. Digits
 * beyond the currency's minor unit are refused unless they are zeros: an
 * amount is never rounded on the way in.
 */
export const fromDecimal = (
  currency: Currency.CurrencyCode,
  input: string
): Either.Either<Money, MoneyError> => {
  const match = decimalPattern.exec(input.trim())
  if (match === null) return Either.left(new MoneyError({ reason: "InvalidAmount", input }))
  const [, minus, whole, fraction = ""] = match
  const places = Currency.minorUnit(currency)
  const significant = fraction.replace(/0+$/, "")
  if (significant.length > places) {
    return Either.left(new MoneyError({ reason: "TooPrecise", input: `${input} ${currency}` }))
  }
  const minor = BigInt(`${whole}${fraction.padEnd(places, "0").slice(0, places)}`)
  return Either.right(make(currency, minus === undefined ? minor : -minor))
}

/** Writes an amount as a decimal string with exactly the currency's minor unit of places. */
export const toDecimal = (money: Money): string => {
  const places = Currency.minorUnit(money.currency)
  const negative = money.minor < 0n
  const digits = (negative ? -money.minor : money.minor).toString().padStart(places + 1, "0")
  const whole = digits.slice(0, digits.length - places)
  const fraction = places === 0 ? "" : `.${digits.slice(digits.length - places)}`
  return `${negative ? "-" : ""}${whole}${fraction}`
}

/** A human-readable amount in a locale ("€1,234.50"), formatted without passing through a float. */
export const format = (money: Money, locale = "en-US"): string =>
  new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: Currency.minorUnit(money.currency),
    maximumFractionDigits: Currency.minorUnit(money.currency)
  }).format(toDecimal(money) as unknown as number)

const sameCurrency = (self: Money, that: Money): void => {
  if (self.currency !== that.currency) {
    throw new MoneyError({
      reason: "CurrencyMismatch",
      input: `${self.currency} and ${that.currency}`
    })
  }
}

/** The sum of two amounts of one currency. Mixing currencies is a defect. */
export const add = (self: Money, that: Money): Money => {
  sameCurrency(self, that)
  return make(self.currency, self.minor + that.minor)
}

/** The difference of two amounts of one currency. Mixing currencies is a defect. */
export const subtract = (self: Money, that: Money): Money => {
  sameCurrency(self, that)
  return make(self.currency, self.minor - that.minor)
}

/** The amount times a whole quantity. */
export const times = (self: Money, quantity: bigint | number): Money =>
  make(self.currency, self.minor * BigInt(quantity))

/** The amount negated. */
export const negate = (self: Money): Money => make(self.currency, -self.minor)

/** The sum of many amounts, zero in `currency` when there are none. */
export const sum = (currency: Currency.CurrencyCode, amounts: Iterable<Money>): Money => {
  let total = 0n
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      throw new MoneyError({
        reason: "CurrencyMismatch",
        input: `${currency} and ${amount.currency}`
      })
    }
    total += amount.minor
  }
  return make(currency, total)
}

/** The smaller of two amounts of one currency. */
export const min = (self: Money, that: Money): Money => {
  sameCurrency(self, that)
  return self.minor <= that.minor ? self : that
}

/** The larger of two amounts of one currency. */
export const max = (self: Money, that: Money): Money => {
  sameCurrency(self, that)
  return self.minor >= that.minor ? self : that
}

/** True when both amounts are the same currency and value. */
export const equals = (self: Money, that: Money): boolean =>
  self.currency === that.currency && self.minor === that.minor

/** Orders two amounts of one currency. */
export const compare = (self: Money, that: Money): -1 | 0 | 1 => {
  sameCurrency(self, that)
  return self.minor < that.minor ? -1 : self.minor > that.minor ? 1 : 0
}

/** True when the amount is below zero. */
export const isNegative = (self: Money): boolean => self.minor < 0n

/**
 * The amount times the exact ratio `numerator / denominator`, rounded to a
 * whole minor unit with `mode`. `percent(m, 10n, 100n, mode)` is 10 % of `m`.
 */
export const scaleBy = (
  self: Money,
  numerator: bigint,
  denominator: bigint,
  mode: Rounding.RoundingMode
): Money => make(self.currency, Rounding.divide(self.minor * numerator, denominator, mode))

/**
 * Splits an amount over non-negative integer weights by the largest-remainder
 * method: every part is its exact share rounded down, and the minor units left
 * over go one each to the parts with the largest remainders (ties to the
 * earliest). The parts always sum exactly to the whole, and no part differs
 * from its exact share by one minor unit or more. When every weight is zero the
 * amount is split evenly.
 */
export const allocate = (self: Money, weights: ReadonlyArray<bigint>): Array<Money> =>
  allocateMinor(self.minor, weights).map((part) => make(self.currency, part))

/**
 * {@link allocate} on bare minor units: splits `amount` over `weights` by
 * largest remainder, ties to the earliest part.
 */
export const allocateMinor = (amount: bigint, weights: ReadonlyArray<bigint>): Array<bigint> => {
  const count = weights.length
  if (count === 0) return []
  let total = 0n
  let largest = 0n
  for (const w of weights) {
    total += w
    if (w > largest) largest = w
  }
  const even = total === 0n
  const negative = amount < 0n
  const whole = negative ? -amount : amount
  const parts =
    whole * (even ? 1n : largest) <= maxExact && total <= maxExact
      ? allocateExactNumbers(Number(whole), weights, even)
      : allocateBigInts(whole, weights, even)
  if (negative) for (let i = 0; i < count; i++) parts[i] = -parts[i]!
  return parts
}

/** The largest integer a double holds exactly, with room for one addition. */
const maxExact = BigInt(Number.MAX_SAFE_INTEGER) / 2n

const byLargestRemainder =
  <A>(remainders: ReadonlyArray<A>) =>
  (a: number, b: number): number => {
    const ra = remainders[a]!
    const rb = remainders[b]!
    return ra === rb ? a - b : ra > rb ? -1 : 1
  }

/**
 * Scratch space of {@link allocateExactNumbers}, reused because allocation is
 * the hot cost of pricing; nothing in it outlives one call.
 */
let scratch = new Float64Array(256)

/**
 * The `k`-th smallest (from 0) of `count` values from `start`, by quickselect;
 * reorders those values.
 */
const nthSmallest = (values: Float64Array, start: number, count: number, k: number): number => {
  const target = start + k
  let low = start
  let high = start + count - 1
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!
    let i = low
    let j = high
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        const swapped = values[i]!
        values[i++] = values[j]!
        values[j--] = swapped
      }
    }
    if (target <= j) high = j
    else if (target >= i) low = i
    else break
  }
  return values[target]!
}

/** Largest remainder in doubles, exact because every product stays below 2^52. */
const allocateExactNumbers = (
  whole: number,
  weights: ReadonlyArray<bigint>,
  even: boolean
): Array<bigint> => {
  const count = weights.length
  if (scratch.length < 4 * count) scratch = new Float64Array(8 * count)
  // Four runs of `count` numbers in `s`: weights, parts, remainders, a copy to select in.
  const s = scratch
  const parts = count
  const remainders = 2 * count
  const copy = 3 * count
  let denominator = 0
  for (let i = 0; i < count; i++) {
    const weight = even ? 1 : Number(weights[i]!)
    s[i] = weight
    denominator += weight
  }
  let left = whole
  for (let i = 0; i < count; i++) {
    const scaled = whole * s[i]!
    let part = Math.floor(scaled / denominator)
    let remainder = scaled - part * denominator
    if (remainder < 0) {
      part -= 1
      remainder += denominator
    } else if (remainder >= denominator) {
      part += 1
      remainder -= denominator
    }
    s[parts + i] = part
    s[remainders + i] = remainder
    left -= part
  }
  if (left > 0) {
    // The `left` largest remainders, ties to the earliest: everything above the
    // threshold, then the earliest parts equal to it.
    s.copyWithin(copy, remainders, remainders + count)
    const threshold = nthSmallest(s, copy, count, count - left)
    let given = 0
    for (let i = 0; i < count; i++) {
      if (s[remainders + i]! > threshold) {
        s[parts + i]! += 1
        given++
      }
    }
    for (let i = 0; i < count && given < left; i++) {
      if (s[remainders + i] === threshold) {
        s[parts + i]! += 1
        given++
      }
    }
  }
  const result: Array<bigint> = new Array(count)
  for (let i = 0; i < count; i++) result[i] = toBigInt(s[parts + i]!)
  return result
}

/** Small parts, converted once: `BigInt(n)` allocates on every call. */
const smallBigInts: ReadonlyArray<bigint> = Array.from({ length: 4096 }, (_, n) => BigInt(n))

const toBigInt = (n: number): bigint => (n < 4096 ? smallBigInts[n]! : BigInt(n))

const allocateBigInts = (
  whole: bigint,
  weights: ReadonlyArray<bigint>,
  even: boolean
): Array<bigint> => {
  const count = weights.length
  let denominator = 0n
  for (const weight of weights) denominator += even ? 1n : weight
  const parts: Array<bigint> = new Array(count)
  const remainders: Array<bigint> = new Array(count)
  let left = whole
  for (let i = 0; i < count; i++) {
    const scaled = whole * (even ? 1n : weights[i]!)
    const part = scaled / denominator
    parts[i] = part
    remainders[i] = scaled - part * denominator
    left -= part
  }
  if (left > 0n) {
    const order = Array.from({ length: count }, (_, i) => i).sort(byLargestRemainder(remainders))
    for (let n = 0; left > 0n; n++, left--) parts[order[n]!]! += 1n
  }
  return parts
}

/**
 * The amount in the vendor convention of "smallest currency unit" strings
 * (Paddle, Stripe): EUR 10.00 is "1000", JPY 2550 is "2550", KWD 6.331 is "6331".
 */
export const toMinorUnitString = (self: Money): string => self.minor.toString()

/** Reads a "smallest currency unit" string ("1000" for EUR 10.00). */
export const fromMinorUnitString = (
  currency: Currency.CurrencyCode,
  input: string
): Either.Either<Money, MoneyError> =>
  /^-?\d+$/.test(input)
    ? Either.right(make(currency, BigInt(input)))
    : Either.left(new MoneyError({ reason: "InvalidAmount", input }))

/** The in-memory form of Money, for schemas that hold it. */
export const MoneyFromSelf: Schema.Schema<Money> = Schema.Struct({
  currency: Schema.typeSchema(Currency.CurrencyCode),
  minor: Schema.BigIntFromSelf
})

/** Money encoded as `{ currency: "EUR", amount: "12.34" }`: the form on every wire. */
export const Money: Schema.Schema<
  Money,
  { readonly currency: Currency.CurrencyCode; readonly amount: string }
> = Schema.transformOrFail(
  Schema.Struct({ currency: Currency.CurrencyCode, amount: Schema.String }),
  MoneyFromSelf,
  {
    strict: true,
    decode: (encoded, _, ast) =>
      Either.mapLeft(
        fromDecimal(encoded.currency, encoded.amount),
        (error) => new ParseResult.Type(ast, encoded, error.message)
      ),
    encode: (money) => ParseResult.succeed({ currency: money.currency, amount: toDecimal(money) })
  }
).annotations({ identifier: "Money" })
