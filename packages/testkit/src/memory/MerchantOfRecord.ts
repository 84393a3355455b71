/**
 * A Merchant of Record held in memory: transactions are opened at once and
 * paid at `memory://pay/<id>`; nothing is charged. Its notifications are
 * plain JSON lists of domain events, as built by `MemoryErp.webhook`.
 *
 * @since 0.1.0
 */
import { MerchantOfRecord } from "@mercantile/domain"
import type { Money, Order } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { decodeWebhook } from "./Erp"

/** A refund the memory Merchant of Record was asked for. */
export interface Refund {
  readonly order: Order.Order
  readonly amount: Money.Money
  readonly reason: string
}

/** Reads what the memory Merchant of Record was asked to do. */
export class MemoryMerchantControl extends Context.Tag("@mercantile/testkit/MemoryMerchantControl")<
  MemoryMerchantControl,
  {
    /** Every transaction opened, oldest first. */
    readonly transactions: Effect.Effect<ReadonlyArray<MerchantOfRecord.Transaction>>
    /** Every refund asked for, oldest first. */
    readonly refunds: Effect.Effect<ReadonlyArray<Refund>>
  }
>() {}

/** Builds the Merchant of Record, its notifications and its control. */
export const make = Effect.sync(() => {
  const byKey = new Map<string, MerchantOfRecord.Transaction>()
  const refunds: Array<Refund> = []
  return {
    merchant: MerchantOfRecord.MerchantOfRecord.of({
      createTransaction: (order, idempotencyKey) =>
        Effect.sync(() => {
          const existing = byKey.get(idempotencyKey)
          if (existing !== undefined) return existing
          const transactionId = `txn_${String(byKey.size + 1).padStart(6, "0")}`
          const created = {
            orderId: order.id,
            transactionId,
            checkoutUrl: `memory://pay/${transactionId}`
          }
          byKey.set(idempotencyKey, created)
          return created
        }).pipe(Effect.withSpan("MemoryMerchant.createTransaction")),
      refund: (order, amount, reason) =>
        Effect.sync(() => {
          refunds.push({ order, amount, reason })
        })
    }),
    webhooks: MerchantOfRecord.PaymentWebhooks.of({
      decode: (raw) => decodeWebhook("payments", raw)
    }),
    control: MemoryMerchantControl.of({
      transactions: Effect.sync(() => [...byKey.values()]),
      refunds: Effect.sync(() => [...refunds])
    })
  }
})

/** The Merchant of Record ports and {@link MemoryMerchantControl}. */
export const layer = (): Layer.Layer<
  MerchantOfRecord.MerchantOfRecord | MerchantOfRecord.PaymentWebhooks | MemoryMerchantControl
> =>
  Layer.effectContext(
    Effect.map(make, (s) =>
      Context.make(MerchantOfRecord.MerchantOfRecord, s.merchant).pipe(
        Context.add(MerchantOfRecord.PaymentWebhooks, s.webhooks),
        Context.add(MemoryMerchantControl, s.control)
      )
    )
  )
