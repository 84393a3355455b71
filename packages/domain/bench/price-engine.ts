/**
 * Benchmark of the price engine: a 50-line cart against 10,000 price rules
 * and 50 promotions, and against 100,000 rules (the workload is described in
 * `workload.ts`). Each index is built once, as a storefront does, and reused
 * across carts.
 *
 * Both rule sets are warmed up, then measured in alternating batches of
 * carts, so that other load on the machine falls on both alike. A batch is
 * timed as CPU time of this process (`process.cpuUsage`: user and system,
 * all threads, so garbage collection counts) and as wall time; the medians
 * are per cart. Run with `npx tsx bench/price-engine.ts` from
 * `packages/domain` (`BENCH_WARMUP`, `BENCH_RUNS` set the number of carts).
 * The last line holds the CPU medians and their ratio (100,000 rules over
 * 10,000).
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as PriceEngine from "../src/PriceEngine"
import * as Workload from "./workload"

const linesPerCart = 50
const carts = 400
const batch = 25
const warmup = Number(process.env.BENCH_WARMUP ?? 3_000)
const measured = Number(process.env.BENCH_RUNS ?? 10_000)

const median = (samples: ReadonlyArray<number>): number =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!

/** One rule set: its pricing function and the per-cart samples taken so far. */
const subject = (rules: number) => {
  const lists = Workload.priceLists(rules)
  const built = process.hrtime.bigint()
  const index = PriceEngine.index(lists)
  const indexMs = Number(process.hrtime.bigint() - built) / 1e6
  const promotions = Workload.promotions()
  const all = Workload.carts(carts, linesPerCart)
  const price = (n: number) =>
    PriceEngine.price({
      lines: all[n % carts]!,
      context: Workload.context,
      priceLists: index,
      promotions,
      codes: Workload.codes,
      tax: Workload.tax
    })
  return { rules, indexMs, price, cpu: [] as Array<number>, wall: [] as Array<number> }
}

type Subject = ReturnType<typeof subject>

const warm = (s: Subject) =>
  Effect.sync(() => {
    for (let n = 0; n < warmup; n++) {
      const result = s.price(n)
      if (Either.isLeft(result)) throw result.left
    }
  })

const sample = (s: Subject, from: number) =>
  Effect.sync(() => {
    const start = process.hrtime.bigint()
    const used = process.cpuUsage()
    for (let k = 0; k < batch; k++) s.price(from + k)
    const spent = process.cpuUsage(used)
    s.wall.push(Number(process.hrtime.bigint() - start) / 1e6 / batch)
    s.cpu.push((spent.user + spent.system) / 1e3 / batch)
  })

const report = (s: Subject) =>
  Effect.logInfo("price engine benchmark").pipe(
    Effect.annotateLogs({
      rules: s.rules,
      lines: linesPerCart,
      promotions: Workload.promotions().length,
      index_ms: s.indexMs.toFixed(1),
      batches: s.cpu.length,
      median_cpu_ms: median(s.cpu).toFixed(4),
      median_wall_ms: median(s.wall).toFixed(4)
    })
  )

const program = Effect.gen(function* () {
  const small = subject(10_000)
  const large = subject(100_000)

  yield* warm(small)
  yield* warm(large)
  for (let n = 0; n < measured; n += batch) {
    yield* sample(small, n)
    yield* sample(large, n)
  }

  yield* report(small)
  yield* report(large)
  const smallMs = median(small.cpu)
  const largeMs = median(large.cpu)
  yield* Effect.logInfo("price engine scaling").pipe(
    Effect.annotateLogs({ goal_median_ms: 0.5, goal_ratio: 1.3 })
  )
  yield* Effect.sync(() =>
    process.stdout.write(
      `median CPU per cart ${smallMs.toFixed(4)} ms at 10000 rules, ` +
        `${largeMs.toFixed(4)} ms at 100000 rules; ` +
        `ratio ${(largeMs / smallMs).toFixed(3)}\n`
    )
  )
})

Effect.runFork(program)
