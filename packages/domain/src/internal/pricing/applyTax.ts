/**
 * The tax step of the engine: each line's tax under the policy's level,
 * calculation and rounding.
 *
 * @internal
 */
import type * as Currency from "../../Currency"
import type { Explanation } from "../../Explanation"
import * as Money from "../../Money"
import * as Ratio from "../../Ratio"
import * as Rounding from "../../Rounding"
import * as Tax from "../../Tax"
import { sumRemaining, type WorkLine } from "./WorkLine"

/** Sets `tax` on every line and explains it; cart-level facts go to `explanation`. */
export const applyTax = (
  policy: Tax.TaxPolicy,
  work: ReadonlyArray<WorkLine>,
  currency: Currency.CurrencyCode,
  explanation: Array<Explanation>
): void => {
  const texts = new Map<Tax.TaxRate, string>()
  const rateText = (rate: Tax.TaxRate): string => {
    let text = texts.get(rate)
    if (text === undefined) {
      text = Ratio.format(rate.rate)
      texts.set(rate, text)
    }
    return text
  }
  const explain = (line: WorkLine, exact: Ratio.Ratio): void => {
    line.explanation.push({
      _tag: "Tax",
      region: line.rate.region,
      taxClass: line.rate.taxClass,
      rate: rateText(line.rate),
      base: Money.make(currency, line.remaining),
      taxInclusive: line.taxInclusive,
      level: policy.level,
      calculation: policy.calculation,
      rounding: policy.rounding,
      exact,
      amount: Money.make(currency, line.tax)
    })
  }

  if (policy.level === "Line") {
    for (const line of work) {
      const [numerator, denominator] = Tax.exact(line.remaining, line.rate.rate, line.taxInclusive)
      line.tax =
        policy.calculation === "Unit"
          ? Tax.roundPerUnit(
              line.remaining,
              line.units,
              line.rate.rate,
              line.taxInclusive,
              policy.rounding
            )
          : Rounding.divide(numerator, denominator, policy.rounding)
      explain(line, Ratio.make(numerator, denominator))
    }
    return
  }

  const groups = new Map<Tax.TaxRate, Array<WorkLine>>()
  for (const line of work) {
    const members = groups.get(line.rate)
    if (members === undefined) groups.set(line.rate, [line])
    else members.push(line)
  }
  for (const [rate, lines] of groups) {
    const { denominator: d, numerator: n } = rate.rate
    const common = d * (d + n)
    const weights = lines.map((line) =>
      line.taxInclusive ? line.remaining * n * d : line.remaining * n * (d + n)
    )
    const exact = weights.reduce((acc, w) => acc + w, 0n)
    const total = Rounding.divide(exact, common, policy.rounding)
    const parts = Money.allocate(Money.make(currency, total), weights)
    lines.forEach((line, at) => {
      line.tax = parts[at]!.minor
      explain(line, Ratio.make(weights[at]!, common))
    })
    explanation.push({
      _tag: "Tax",
      region: rate.region,
      taxClass: rate.taxClass,
      rate: rateText(rate),
      base: Money.make(currency, sumRemaining(lines)),
      taxInclusive: lines.every((line) => line.taxInclusive),
      level: policy.level,
      calculation: policy.calculation,
      rounding: policy.rounding,
      exact: Ratio.make(exact, common),
      amount: Money.make(currency, total)
    })
  }
}
