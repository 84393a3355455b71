/**
 * Named rounding of exact rational quantities to whole minor units.
 *
 * Nothing in Mercantile rounds implicitly: every rounding names its mode, and
 * the mode comes from a policy the caller chose.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * How a value that falls between two whole units is resolved.
 *
 * - `HalfEven`: to the nearest, ties to the even neighbour (banker's rounding).
 * - `HalfUp`: to the nearest, ties away from zero.
 * - `HalfDown`: to the nearest, ties towards zero.
 * - `Up`: away from zero.
 * - `Down`: towards zero (truncation).
 */
export const RoundingMode = Schema.Literal("HalfEven", "HalfUp", "HalfDown", "Up", "Down")

/** @see RoundingMode */
export type RoundingMode = typeof RoundingMode.Type

/** Every rounding mode, for policies and property tests. */
export const modes: ReadonlyArray<RoundingMode> = RoundingMode.literals

const abs = (n: bigint): bigint => (n < 0n ? -n : n)

/**
 * Divides `numerator` by `denominator` and rounds the exact quotient to an
 * integer with `mode`. The denominator must not be zero.
 */
export const divide = (numerator: bigint, denominator: bigint, mode: RoundingMode): bigint => {
  if (denominator === 0n) throw new RangeError("Rounding.divide: division by zero")
  const sign = numerator < 0n !== denominator < 0n ? -1n : 1n
  const n = abs(numerator)
  const d = abs(denominator)
  const quotient = n / d
  const remainder = n % d

  if (remainder === 0n) return sign * quotient
  const twice = remainder * 2n
  let away: boolean
  switch (mode) {
    case "Up":
      away = true
      break
    case "Down":
      away = false
      break
    case "HalfUp":
      away = twice >= d
      break
    case "HalfDown":
      away = twice > d
      break
    case "HalfEven":
      away = twice > d || (twice === d && quotient % 2n === 1n)
      break
  }
  return sign * (away ? quotient + 1n : quotient)
}
