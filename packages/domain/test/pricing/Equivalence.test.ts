/**
 * The engine's results, pinned: a fixed set of carts is priced, every result
 * (figures, explanations, errors, in the engine's key order) is written as
 * JSON, and the SHA-256 (64 bits of it) of each case's text is compared with a snapshot taken
 * before the engine was optimised. A change of one byte in any case fails
 * here, naming the case.
 */
import { createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Arbitraries } from "@mercantile/testkit"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as Workload from "../../bench/workload"
import { CustomerId, Sku } from "../../src/Ids"
import * as Money from "../../src/Money"
import * as PriceEngine from "../../src/PriceEngine"
import { Price, PriceList, type PriceListKind } from "../../src/PriceList"
import { Channel, CustomerGroup, PricingContext, Region } from "../../src/PricingContext"
import * as Promotion from "../../src/Promotion"
import * as Ratio from "../../src/Ratio"
import * as Rounding from "../../src/Rounding"
import * as Tax from "../../src/Tax"
import { at } from "./support"

const day = 86_400_000
const past = new Date(at.getTime() - day)
const future = new Date(at.getTime() + day)

/** Prices with every scope, lists of every kind, promotions with every condition. */
const scenario = (seed: number): PriceEngine.Input => {
  const next = Workload.random(seed)
  const pick = <A>(items: ReadonlyArray<A>): A => items[next(items.length)]!
  const sometimes = (one: number) => next(one) === 0
  const skus = ["A", "B", "C", "D", "E", "F"].map((s) => Sku.make(s))
  const amount = (max: number) => Money.make("EUR", BigInt(next(max)))

  const scoped = (id: string): Price =>
    new Price({
      id,
      sku: pick(skus),
      amount: amount(5_000),
      minQuantity: pick([1, 1, 2, 5]),
      ...(sometimes(3) ? { customerGroup: CustomerGroup.make(pick(["retail", "vip"])) } : {}),
      ...(sometimes(5) ? { customerId: CustomerId.make(pick(["C-1", "C-2"])) } : {}),
      ...(sometimes(3) ? { region: Region.make(pick(["DE", "DE-BY", "US", "US-CA"])) } : {}),
      ...(sometimes(4) ? { channel: Channel.make(pick(["web", "app"])) } : {}),
      ...pick([{}, {}, { validFrom: past, validUntil: future }, { validFrom: future }])
    })
  const list = (id: string, kind: PriceListKind, prices: Array<Price>) =>
    new PriceList({
      id,
      kind,
      currency: "EUR",
      taxInclusive: sometimes(2),
      priority: next(3),
      prices
    })
  const lists = [
    list(
      "base",
      "Base",
      skus.map((sku, n) => new Price({ id: `p${n}`, sku, amount: amount(5_000), minQuantity: 1 }))
    )
  ]
  for (const kind of ["Base", "Sale", "Override", "Contract"] as const) {
    if (sometimes(2)) {
      const prices = Array.from({ length: next(7) }, (_, n) => scoped(`s${n}`))
      lists.push(list(`${kind.toLowerCase()}-${lists.length}`, kind, prices))
    }
  }
  if (seed % 23 === 0) {
    const bad = { id: "bad", sku: pick(skus), amount: Money.make("EUR", -5n), minQuantity: 1 }
    lists.push(list("broken", "Base", [new Price(bad, { disableValidation: true })]))
  }
  if (seed % 17 === 0) {
    const usd = Money.make("USD", 900n)
    lists.push(
      new PriceList({
        id: "usd",
        kind: "Base",
        currency: "USD",
        taxInclusive: false,
        priority: 0,
        prices: [new Price({ id: "g", sku: Sku.make("G"), amount: usd, minQuantity: 1 })]
      })
    )
  }

  const actions = (): Promotion.Action =>
    pick([
      () => Promotion.percentOffLines(pick([5, 10, "12.5", 100])),
      () => Promotion.percentOffCart(pick([3, 15, "33.3"])),
      () => Promotion.Action.AmountOffUnits({ amount: amount(300) }),
      () => Promotion.Action.AmountOffCart({ amount: amount(4_000) }),
      () => Promotion.Action.FixedUnitPrice({ amount: amount(800) }),
      () => Promotion.buyXGetY(1 + next(3), 1 + next(2), pick([100, 50])),
      () => Promotion.Action.FreeItem({ sku: pick(skus), quantity: 1 + next(3) })
    ])()
  const promotions = Array.from({ length: next(7) }, (_, n) =>
    Promotion.make({
      id: seed % 31 === 0 && n === 1 ? "promo-0" : `promo-${n}`,
      action: actions(),
      priority: next(4),
      exclusive: sometimes(6),
      stopAfter: sometimes(5),
      ...(sometimes(3) ? { group: pick(["g1", "g2"]) } : {}),
      ...(sometimes(4) ? { rounding: pick(Rounding.modes) } : {}),
      conditions: {
        ...(sometimes(3) ? { codes: [`code-${n}`, `alt-${n}`] } : {}),
        ...(sometimes(5) ? { customerGroups: [pick(["retail", "vip"])] } : {}),
        ...(sometimes(5) ? { regions: [pick(["DE", "US-CA", "FR"])] } : {}),
        ...(sometimes(6) ? { channels: [pick(["web", "app"])] } : {}),
        ...(sometimes(3) ? { skus: [pick(skus), pick(skus)] } : {}),
        ...(sometimes(5) ? { categories: ["shirts"] } : {}),
        ...(sometimes(4) ? { minSubtotal: amount(6_000) } : {}),
        ...(sometimes(6) ? { minSubtotal: Money.make("USD", 1n) } : {}),
        ...pick([{}, {}, { validFrom: future }, { validUntil: past }, { validUntil: future }]),
        ...(sometimes(4)
          ? {
              usage: {
                limitPerCode: 2,
                usedByCode: { [`CODE-${n}`]: next(3) },
                limitPerCustomer: 1,
                usedByCustomer: next(2)
              }
            }
          : {})
      }
    })
  )
  if (seed % 37 === 0) {
    const unknown = { skus: [Sku.make("NOWHERE")] }
    promotions.push(Promotion.make({ id: "ghost", action: actions(), conditions: unknown }))
  }

  const region = pick(["DE", "DE", "DE-BY", "US-CA", "US", "FR"])
  const rate = () => pick([Ratio.percent(19), Ratio.percent(7), Ratio.percent("8.875")])
  return {
    lines: Array.from({ length: 1 + next(8) }, () => ({
      sku: seed % 17 === 0 && sometimes(4) ? Sku.make("G") : pick(skus),
      quantity: seed % 29 === 0 && sometimes(3) ? 0 : 1 + next(12),
      ...(sometimes(2) ? { categories: pick([["shirts"], ["sale"], ["shirts", "sale"]]) } : {})
    })),
    context: new PricingContext({
      currency: "EUR",
      region: Region.make(region),
      channel: Channel.make(pick(["web", "app"])),
      at,
      ...(sometimes(2) ? { customerGroup: CustomerGroup.make(pick(["retail", "vip"])) } : {}),
      ...(sometimes(2) ? { customerId: CustomerId.make(pick(["C-1", "C-2"])) } : {})
    }),
    priceLists: lists,
    promotions,
    codes: promotions
      .flatMap((_, n) => (sometimes(2) ? [` ${pick(["code", "ALT"])}-${n} `] : []))
      .concat(sometimes(4) ? ["nope"] : []),
    tax: Tax.policy({
      rates: [
        { region: "DE", taxClass: "standard", rate: rate() },
        { region: "DE", taxClass: "reduced", rate: rate() },
        { region: "US", taxClass: "standard", rate: rate() },
        { region: "US", taxClass: "reduced", rate: rate() }
      ],
      rounding: pick(Rounding.modes),
      level: pick(["Line", "Total"]),
      calculation: pick(["Line", "Unit"]),
      classes: Object.fromEntries(skus.filter(() => sometimes(3)).map((s) => [s, "reduced"]))
    }),
    ...(sometimes(4) ? { selection: { ties: "Refuse" } } : {}),
    ...(sometimes(4) ? { discountRounding: pick(Rounding.modes) } : {})
  }
}

/** The benchmark's carts, small enough for a test. */
const workload = (): Array<PriceEngine.Input> => {
  const index = PriceEngine.index(Workload.priceLists(10_000))
  const promotions = Workload.promotions()
  return Workload.carts(20, 50).flatMap((lines) =>
    [Workload.tax, { ...Workload.tax, level: "Total" as const }].map((tax) => ({
      lines,
      context: Workload.context,
      priceLists: index,
      promotions,
      codes: Workload.codes,
      tax
    }))
  )
}

const replacer = (_key: string, value: unknown): unknown =>
  typeof value === "bigint" ? `${value}n` : value

/** A result as one line of text: every field, in the engine's own key order. */
const serialize = (result: Either.Either<PriceEngine.PricedCart, PriceEngine.PricingError>) =>
  Either.match(result, {
    onLeft: ({ detail, reason, rule, sku }) =>
      JSON.stringify({ error: { reason, sku, rule, detail } }),
    onRight: (cart) => JSON.stringify(cart, replacer)
  })

const digest = (text: string): string =>
  createHash("sha256").update(text).digest("hex").slice(0, 16)

const sampled = (options: Arbitraries.InputOptions, seed: number, numRuns: number) =>
  fc.sample(Arbitraries.input(options), { seed, numRuns })

describe("price engine equivalence", () => {
  it("prices a fixed set of carts exactly as the snapshot says", async () => {
    const cases: Array<readonly [string, PriceEngine.Input]> = [
      ...sampled({}, 1, 300).map((input, n) => [`arbitrary-${n}`, input] as const),
      ...sampled({ maxPromotions: 6 }, 2, 200).map(
        (input, n) => [`promotions-${n}`, input] as const
      ),
      ...sampled({ taxLevel: "Total" }, 3, 100).map((input, n) => [`total-${n}`, input] as const),
      ...Array.from({ length: 600 }, (_, n) => [`scenario-${n}`, scenario(n)] as const),
      ...workload().map((input, n) => [`workload-${n}`, input] as const)
    ]
    const digests = cases.map(([name, input]) => {
      const text = serialize(PriceEngine.price(input))
      return `${name} ${digest(text)}\n`
    })

    await expect(digests.join("")).toMatchFileSnapshot("./__snapshots__/Equivalence.txt")
  })
})
