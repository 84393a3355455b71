/**
 * Exact non-negative ratios: tax rates and percentages.
 *
 * A rate is never a float. `Ratio.percent("19")` is 19/100 and
 * `Ratio.percent("12.5")` is 125/1000, both held as bigints.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"

/** The exact ratio `numerator / denominator`. */
export interface Ratio {
  readonly numerator: bigint
  readonly denominator: bigint
}

/** Builds a ratio; the caller keeps the denominator positive. */
export const make = (numerator: bigint, denominator: bigint): Ratio => ({
  numerator,
  denominator
})

/** Zero. */
export const zero: Ratio = make(0n, 1n)

/** One: 100 %. */
export const one: Ratio = make(1n, 1n)

const decimalPattern = /^(\d+)(?:\.(\d+))?$/

/**
 * A percentage written as a whole number or a decimal string
 * (`19`, `"7.7"`): exact, never through a float. A number must be an integer.
 */
export const percent = (value: number | string): Ratio => {
  const text = typeof value === "number" ? String(value) : value.trim()
  const match = decimalPattern.exec(text)
  if (match === null || (typeof value === "number" && !Number.isInteger(value))) {
    throw new RangeError(`Not a percentage: ${String(value)}`)
  }
  const [, whole, fraction = ""] = match
  return make(BigInt(`${whole}${fraction}`), 100n * 10n ** BigInt(fraction.length))
}

/** Reads a percentage without throwing. */
export const parsePercent = (value: number | string): Either.Either<Ratio, string> =>
  Either.try({ try: () => percent(value), catch: () => `Not a percentage: ${String(value)}` })

/** True when the ratio is well formed: a positive denominator and a numerator of zero or more. */
export const isValid = (self: Ratio): boolean => self.denominator > 0n && self.numerator >= 0n

/** True when the ratio is at most one (at most 100 %). */
export const isAtMostOne = (self: Ratio): boolean => self.numerator <= self.denominator

/** True when the ratio is exactly one. */
export const isOne = (self: Ratio): boolean => self.numerator === self.denominator

/**
 * Writes the ratio as a percentage for explanations: 19/100 is "19%",
 * 125/1000 is "12.5%", and a ratio with no short decimal form is "100/3%".
 */
export const format = (self: Ratio): string => {
  for (let places = 0; places <= 6; places++) {
    const scaled = self.numerator * 100n * 10n ** BigInt(places)
    if (scaled % self.denominator !== 0n) continue
    const digits = (scaled / self.denominator).toString().padStart(places + 1, "0")
    const whole = digits.slice(0, digits.length - places)
    return places === 0 ? `${whole}%` : `${whole}.${digits.slice(digits.length - places)}%`
  }
  return `${self.numerator * 100n}/${self.denominator}%`
}
