/**
 * Benchmark of the price engine: a 50-line cart against 10,000 price rules
 * and 50 promotions, then against 100,000 rules. The index is built once per
 * set of price lists, as a storefront does, and reused across carts.
 *
 * Rules: per SKU a base price, a quantity tier, a group or sale price and a
 * USD price, so 10,000 rules cover 2,500 SKUs and 100,000 rules 25,000 SKUs;
 * the same carts (over the first 2,500 SKUs) are priced against both.
 * Promotions: 30 product promotions on 20 SKUs each (percent, amount off
 * units, buy 2 get 1, fixed price), 10 code vouchers (two codes entered),
 * 5 alternatives of one "best deal" group and 5 automatic cart-wide ones,
 * some with a minimum subtotal.
 *
 * Time is measured per batch of carts, as CPU time of this process (so other
 * load on the machine counts as little as possible) and as wall time; the
 * medians are per cart. Run with `npx tsx bench/price-engine.ts` from
 * `packages/domain`. The last line holds the ratio of the CPU medians
 * (100,000 rules over 10,000).
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { Sku } from "../src/Ids"
import * as Money from "../src/Money"
import * as PriceEngine from "../src/PriceEngine"
import { Price, PriceList } from "../src/PriceList"
import { Channel, CustomerGroup, PricingContext, Region } from "../src/PricingContext"
import * as Promotion from "../src/Promotion"
import * as Tax from "../src/Tax"

const linesPerCart = 50
const promotionCount = 50
const carts = 400
const warmup = Number(process.env.BENCH_WARMUP ?? 2_000)
const measured = Number(process.env.BENCH_RUNS ?? 5_000)

/** A small deterministic generator, so every run prices the same carts. */
const random = (seed: number) => {
  let state = seed >>> 0
  return (below: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % below
  }
}

const skuOf = (n: number): Sku => Sku.make(`SKU-${n}`)

/** Price lists holding `rules` prices: per SKU a base, a tier, a group price and a USD price. */
const priceLists = (rules: number): ReadonlyArray<PriceList> => {
  const skus = rules / 4
  const base: Array<Price> = []
  const scoped: Array<Price> = []
  const sale: Array<Price> = []
  const usd: Array<Price> = []
  for (let n = 0; n < skus; n++) {
    const sku = skuOf(n)
    const amount = BigInt(500 + ((n * 7919) % 50_000))
    base.push(new Price({ id: `b${n}`, sku, amount: Money.make("EUR", amount), minQuantity: 1 }))
    scoped.push(
      new Price({ id: `t${n}`, sku, amount: Money.make("EUR", amount - 100n), minQuantity: 5 })
    )
    const cheaper = Money.make("EUR", (amount * 9n) / 10n)
    if (n % 4 === 0) sale.push(new Price({ id: `s${n}`, sku, amount: cheaper, minQuantity: 1 }))
    else {
      const customerGroup = CustomerGroup.make("vip")
      scoped.push(new Price({ id: `g${n}`, sku, amount: cheaper, minQuantity: 1, customerGroup }))
    }
    usd.push(new Price({ id: `u${n}`, sku, amount: Money.make("USD", amount), minQuantity: 1 }))
  }
  const list = (id: string, kind: PriceList["kind"], prices: Array<Price>, currency = "EUR") =>
    new PriceList({
      id,
      kind,
      currency: currency as "EUR",
      taxInclusive: true,
      priority: 0,
      prices
    })
  return [
    list("base", "Base", base),
    list("scoped", "Base", scoped),
    list("sale", "Sale", sale),
    list("usd", "Base", usd, "USD")
  ]
}

/** Fifty promotions, most of them scoped to products, as a catalog usually has. */
const promotions = (): ReadonlyArray<Promotion.Promotion> => {
  const next = random(7)
  const skus = (count: number) => Array.from({ length: count }, () => skuOf(next(2_500)))
  const product = Array.from({ length: 30 }, (_, n) =>
    Promotion.make({
      id: `product-${n}`,
      priority: n % 4,
      action: [
        Promotion.percentOffLines(5 + (n % 20)),
        Promotion.Action.AmountOffUnits({ amount: Money.make("EUR", 50n) }),
        Promotion.buyXGetY(2, 1),
        Promotion.Action.FixedUnitPrice({ amount: Money.make("EUR", 900n) })
      ][n % 4]!,
      conditions: { skus: skus(20), ...(n % 9 === 0 ? { customerGroups: ["vip"] } : {}) }
    })
  )
  const vouchers = Array.from({ length: 10 }, (_, n) =>
    Promotion.make({
      id: `voucher-${n}`,
      priority: 1,
      action:
        n % 2 === 0
          ? Promotion.percentOffCart(5 + n)
          : Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 1_000n) }),
      conditions: {
        codes: [`CODE${n}`],
        usage: { limitPerCode: 1_000, usedByCode: { [`CODE${n}`]: n } }
      }
    })
  )
  const best = Array.from({ length: 5 }, (_, n) =>
    Promotion.make({
      id: `best-${n}`,
      group: "best",
      priority: 2,
      action:
        n % 2 === 0
          ? Promotion.percentOffCart(2 + n)
          : Promotion.Action.AmountOffCart({ amount: Money.make("EUR", 500n * BigInt(n)) })
    })
  )
  const automatic = Array.from({ length: 5 }, (_, n) =>
    Promotion.make({
      id: `auto-${n}`,
      priority: 0,
      action: Promotion.percentOffCart(1 + n),
      conditions: { minSubtotal: Money.make("EUR", 20_000n * BigInt(n + 1)) }
    })
  )
  return [...product, ...vouchers, ...best, ...automatic]
}

const context = new PricingContext({
  currency: "EUR",
  region: Region.make("DE"),
  channel: Channel.make("web"),
  customerGroup: CustomerGroup.make("vip"),
  at: new Date("2026-03-01T10:00:00Z")
})

const tax = Tax.standardVat("DE", 19)

/** Carts of 50 lines over the first 2,500 SKUs (present in both rule sets). */
const cartsOf = (): ReadonlyArray<ReadonlyArray<PriceEngine.LineInput>> => {
  const next = random(42)
  return Array.from({ length: carts }, () =>
    Array.from({ length: linesPerCart }, () => ({
      sku: skuOf(next(2_500)),
      quantity: 1 + next(8)
    }))
  )
}

const median = (samples: ReadonlyArray<number>): number =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!

const batch = 25

const run = (rules: number) =>
  Effect.gen(function* () {
    const lists = priceLists(rules)
    const built = process.hrtime.bigint()
    const index = PriceEngine.index(lists)
    const indexMs = Number(process.hrtime.bigint() - built) / 1e6
    const promos = promotions()
    const all = cartsOf()
    const price = (n: number) =>
      PriceEngine.price({
        lines: all[n % carts]!,
        context,
        priceLists: index,
        promotions: promos,
        codes: ["CODE2", "CODE5"],
        tax
      })

    for (let n = 0; n < warmup; n++) {
      const result = price(n)
      if (Either.isLeft(result)) return yield* Effect.die(result.left)
    }
    const cpu: Array<number> = []
    const wall: Array<number> = []
    for (let n = 0; n < measured; n += batch) {
      const start = process.hrtime.bigint()
      const used = process.cpuUsage()
      for (let k = 0; k < batch; k++) price(n + k)
      const spent = process.cpuUsage(used)
      wall.push(Number(process.hrtime.bigint() - start) / 1e6 / batch)
      cpu.push((spent.user + spent.system) / 1e3 / batch)
    }
    const ms = median(cpu)
    yield* Effect.logInfo("price engine benchmark").pipe(
      Effect.annotateLogs({
        rules,
        lines: linesPerCart,
        promotions: promotionCount,
        index_ms: indexMs.toFixed(1),
        median_cpu_ms: ms.toFixed(4),
        median_wall_ms: median(wall).toFixed(4)
      })
    )
    return ms
  })

const program = Effect.gen(function* () {
  const small = yield* run(10_000)
  const large = yield* run(100_000)
  const ratio = large / small
  yield* Effect.logInfo("price engine scaling").pipe(
    Effect.annotateLogs({ goal_median_ms: 0.5, goal_ratio: 1.3 })
  )
  yield* Effect.sync(() =>
    process.stdout.write(
      `median CPU per cart ${small.toFixed(4)} ms at 10000 rules, ` +
        `${large.toFixed(4)} ms at 100000 rules; ` +
        `ratio ${ratio.toFixed(3)}\n`
    )
  )
})

Effect.runFork(program)
