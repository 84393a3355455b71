/**
 * A cart line while the engine prices it, and the spreading of a cart-wide
 * amount over such lines.
 *
 * @internal
 */
import type * as Option from "effect/Option"
import type { Explanation } from "../../Explanation"
import type { Sku } from "../../Ids"
import * as Money from "../../Money"
import type * as Tax from "../../Tax"

/** A line being priced. `remaining` is what promotions have left of its subtotal. */
export interface WorkLine {
  readonly position: number
  readonly sku: Sku
  readonly quantity: number
  readonly units: bigint
  readonly categories: ReadonlyArray<string>
  /** The SKU and categories: lines with one item key are interchangeable. */
  readonly itemKey: string
  readonly unit: bigint
  readonly subtotal: bigint
  readonly taxInclusive: boolean
  readonly compareAt: Option.Option<Money.Money>
  readonly explanation: Array<Explanation>
  /** One object per region and tax class of a policy. */
  readonly rate: Tax.TaxRate
  remaining: bigint
  tax: bigint
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The canonical order of lines: by item (SKU first), then quantity, then input position. */
export const canonical = (a: WorkLine, b: WorkLine): number =>
  compareText(a.itemKey, b.itemKey) || a.quantity - b.quantity || a.position - b.position

/** What is left of all `lines`. */
export const sumRemaining = (lines: ReadonlyArray<WorkLine>): bigint => {
  let total = 0n
  for (const line of lines) total += line.remaining
  return total
}

/**
 * How an amount is spread over some lines: a line (its index), or groups
 * that share the amount by largest remainder, each then spreading its part.
 */
type Plan = number | ReadonlyArray<Plan>

/** Plans by lines; a cart-wide promotion's lines are one array for all of them. */
const plans = new WeakMap<ReadonlyArray<WorkLine>, Plan>()

/**
 * Spreads `amount` over lines in proportion to what is left of them, by
 * largest remainder at each level: first over the groups of lines sharing a
 * tax rate and basis, then over the items within each, then over the lines
 * of one item. A group's share depends only on group sums, so splitting a
 * line into units moves no minor unit between tax rates or items.
 */
export const spread = (amount: bigint, lines: ReadonlyArray<WorkLine>): Array<bigint> => {
  let plan = plans.get(lines)
  if (plan === undefined) {
    plan = planOf(lines, [...lines.keys()], 0)
    plans.set(lines, plan)
  }
  const result: Array<bigint> = new Array(lines.length)
  share(amount, plan, lines, result)
  return result
}

const weightOf = (plan: Plan, lines: ReadonlyArray<WorkLine>): bigint => {
  if (typeof plan === "number") return lines[plan]!.remaining
  let sum = 0n
  for (const part of plan) sum += weightOf(part, lines)
  return sum
}

const share = (
  amount: bigint,
  plan: Plan,
  lines: ReadonlyArray<WorkLine>,
  result: Array<bigint>
): void => {
  if (typeof plan === "number") {
    result[plan] = amount
    return
  }
  const weights: Array<bigint> = new Array(plan.length)
  for (let n = 0; n < plan.length; n++) weights[n] = weightOf(plan[n]!, lines)
  const parts = Money.allocateMinor(amount, weights)
  for (let n = 0; n < plan.length; n++) share(parts[n]!, plan[n]!, lines, result)
}

/**
 * The plan of `members` at a level: 0 by tax rate and basis, 1 by item, 2 by
 * line. A level that finds one group passes it on to the next.
 */
const planOf = (
  lines: ReadonlyArray<WorkLine>,
  members: ReadonlyArray<number>,
  level: number
): Plan => {
  if (members.length === 1) return members[0]!
  if (level === 2) return members
  const groups = level === 0 ? groupTaxes(lines, members) : groupItems(lines, members)
  if (groups.length === 1) return planOf(lines, members, level + 1)
  return groups.map((group) => planOf(lines, group, level + 1))
}

/** Lines of one rate and one tax basis, in the order of first appearance. */
const groupTaxes = (
  lines: ReadonlyArray<WorkLine>,
  members: ReadonlyArray<number>
): Array<Array<number>> => {
  const groups: Array<Array<number>> = []
  for (const at of members) {
    const line = lines[at]!
    const group = groups.find((g) => sameTax(lines[g[0]!]!, line))
    if (group === undefined) groups.push([at])
    else group.push(at)
  }
  return groups
}

/** Rates are one object per region and class in a policy, so identity compares them. */
const sameTax = (a: WorkLine, b: WorkLine): boolean =>
  a.rate === b.rate && a.taxInclusive === b.taxInclusive

/** Lines of one item; they are adjacent in canonical order. */
const groupItems = (
  lines: ReadonlyArray<WorkLine>,
  members: ReadonlyArray<number>
): Array<Array<number>> => {
  const groups: Array<Array<number>> = []
  let current: Array<number> = []
  for (const at of members) {
    if (current.length > 0 && lines[current[0]!]!.itemKey !== lines[at]!.itemKey) {
      groups.push(current)
      current = []
    }
    current.push(at)
  }
  if (current.length > 0) groups.push(current)
  return groups
}
