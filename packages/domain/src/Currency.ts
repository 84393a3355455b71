/**
 * ISO 4217 currencies and their minor units.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The minor unit (number of decimal places) of every currency Mercantile
 * prices in. A currency that is not listed here cannot be priced: an amount in
 * it is refused at decoding rather than guessed as two-decimal.
 */
export const minorUnits = {
  AED: 2,
  AUD: 2,
  BGN: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PLN: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  ZAR: 2
} as const

/** An ISO 4217 alphabetic code known to Mercantile. */
export type CurrencyCode = keyof typeof minorUnits

/** Every known currency code, in alphabetical order. */
export const codes: ReadonlyArray<CurrencyCode> = Object.keys(
  minorUnits
).sort() as Array<CurrencyCode>

/** Decodes an ISO 4217 code, refusing any currency whose minor unit is unknown. */
export const CurrencyCode: Schema.Schema<CurrencyCode> = Schema.Literal(...codes).annotations({
  identifier: "CurrencyCode",
  description: "An ISO 4217 alphabetic currency code with a known minor unit"
})

/** True when `code` is a currency Mercantile can price in. */
export const isCurrencyCode = (code: string): code is CurrencyCode =>
  Object.hasOwn(minorUnits, code)

/** The number of decimal places of the currency's minor unit (JPY 0, EUR 2, KWD 3). */
export const minorUnit = (currency: CurrencyCode): number => minorUnits[currency]

/** 10 to the power of the currency's minor unit, as a bigint (EUR 100n, JPY 1n). */
export const scale = (currency: CurrencyCode): bigint => 10n ** BigInt(minorUnits[currency])
