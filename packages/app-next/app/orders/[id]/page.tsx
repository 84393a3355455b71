/**
 * An order's status, read live; it refreshes itself until the order is
 * recorded in the ERP (or cancelled or refunded). Once the order is paid,
 * the shopper's cart cookie is cleared so the next add starts a new cart.
 *
 * @since 0.1.0
 */
import { Ids, OrderStore } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Metadata } from "next"
import { notFound } from "next/navigation"
import { connection } from "next/server"
import { Suspense } from "react"
import { amount } from "../../../src/reads"
import { run } from "../../../src/runtime"
import { ForgetCart } from "../../../src/ui/ForgetCart"
import { Refresher } from "../../../src/ui/Refresher"

interface Params {
  readonly id: string
}

/** The page's title. */
export const metadata: Metadata = { title: "Your order" }

const label = {
  AwaitingPayment: "Awaiting payment",
  Paid: "Paid",
  RecordedInErp: "Paid and confirmed",
  Cancelled: "Cancelled",
  Refunded: "Refunded"
} as const

const isOrderId = Schema.is(Ids.OrderId)

/** The order page. */
export default function OrderPage({ params }: { readonly params: Promise<Params> }) {
  return (
    <Suspense fallback={<p className="muted">Loading your order…</p>}>
      <Order params={params} />
    </Suspense>
  )
}

async function Order({ params }: { readonly params: Promise<Params> }) {
  const id = decodeURIComponent((await params).id)
  await connection()
  if (!isOrderId(id)) notFound()
  const found = await run(Effect.flatMap(OrderStore.OrderStore, (orders) => orders.get(id)))
  if (Option.isNone(found)) notFound()
  const order = found.value
  const moving = order.status === "AwaitingPayment" || order.status === "Paid"
  const cls = order.status === "Paid" ? "paid" : order.status === "RecordedInErp" ? "recorded" : ""
  return (
    <section data-testid="order" data-order-id={order.id}>
      <h1>Order {order.id}</h1>
      <p>
        Status:{" "}
        <span className={`status ${cls}`} data-testid="order-status" data-status={order.status}>
          {label[order.status]}
        </span>
      </p>
      {order.erpReference !== undefined && (
        <p>
          ERP reference: <span data-testid="order-erp-reference">{order.erpReference}</span>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th className="num">Quantity</th>
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.sku}>
              <td>
                {line.name} <span className="muted">{line.sku}</span>
              </td>
              <td className="num">{line.quantity}</td>
              <td className="num">{amount(line.total).text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="totals price">
        Total: <span data-testid="order-total">{amount(order.total).text}</span>
      </p>
      {moving && <Refresher seconds={2} />}
      {(order.status === "Paid" || order.status === "RecordedInErp") && (
        <ForgetCart orderId={order.id} />
      )}
    </section>
  )
}
