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
  readonly rate: Tax.TaxRate
  /** Lines of one rate and one tax basis share a key. */
  readonly taxKey: string
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
 * Spreads `amount` over lines in proportion to what is left of them, by
 * largest remainder at each level: first over the groups of lines sharing a
 * tax rate and basis, then over the items within each, then over the lines
 * of one item. A group's share depends only on group sums, so splitting a
 * line into units moves no minor unit between tax rates or items.
 */
export const spread = (amount: bigint, lines: ReadonlyArray<WorkLine>): Array<bigint> => {
  if (isFlat(lines)) {
    return Money.allocateMinor(
      amount,
      lines.map((line) => line.remaining)
    )
  }
  const result: Array<bigint> = new Array(lines.length).fill(0n)
  visit(
    amount,
    lines,
    lines.map((_, at) => at),
    0,
    result
  )
  return result
}

/**
 * True when the levels change nothing: one tax group and no item twice. Lines
 * come in canonical order, where lines of one item are adjacent.
 */
const isFlat = (lines: ReadonlyArray<WorkLine>): boolean => {
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!
    if (line.taxKey !== lines[0]!.taxKey || line.itemKey === lines[n - 1]!.itemKey) return false
  }
  return true
}

/** Lines sharing a key, in the order of first appearance. */
const groupBy = (
  lines: ReadonlyArray<WorkLine>,
  members: ReadonlyArray<number>,
  key: (line: WorkLine) => string
): Array<Array<number>> => {
  const groups = new Map<string, Array<number>>()
  for (const at of members) {
    const k = key(lines[at]!)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [at])
    else group.push(at)
  }
  return [...groups.values()]
}

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

const taxKeyOf = (line: WorkLine): string => line.taxKey

/** Levels: 0 by tax rate and basis, 1 by item, 2 by line. */
const visit = (
  share: bigint,
  lines: ReadonlyArray<WorkLine>,
  members: ReadonlyArray<number>,
  level: number,
  result: Array<bigint>
): void => {
  if (members.length === 1) {
    result[members[0]!] = share
    return
  }
  if (level === 2) {
    const parts = Money.allocateMinor(
      share,
      members.map((at) => lines[at]!.remaining)
    )
    for (let n = 0; n < members.length; n++) result[members[n]!] = parts[n]!
    return
  }
  const groups = level === 0 ? groupBy(lines, members, taxKeyOf) : groupItems(lines, members)
  if (groups.length === 1) return visit(share, lines, members, level + 1, result)
  const shares = Money.allocateMinor(
    share,
    groups.map((group) => {
      let sum = 0n
      for (const at of group) sum += lines[at]!.remaining
      return sum
    })
  )
  for (let n = 0; n < groups.length; n++) visit(shares[n]!, lines, groups[n]!, level + 1, result)
}
