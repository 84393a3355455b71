/**
 * The cart, priced live on every request (never cached).
 *
 * @since 0.1.0
 */
import { CartService } from "@mercantile/domain"
import * as Effect from "effect/Effect"
import type { Metadata } from "next"
import Link from "next/link"
import { connection } from "next/server"
import { Suspense } from "react"
import * as CartCookie from "../../src/CartCookie"
import { amount, readProduct } from "../../src/reads"
import { run } from "../../src/runtime"
import { CartLineForms } from "../../src/ui/CartLine"
import { CheckoutForm } from "../../src/ui/CheckoutForm"

/** The page's title. */
export const metadata: Metadata = { title: "Cart" }

/** The cart page. */
export default function CartPage() {
  return (
    <Suspense fallback={<p className="muted">Loading your cart…</p>}>
      <Cart />
    </Suspense>
  )
}

async function Cart() {
  await connection()
  const cartId = await CartCookie.read()
  const view =
    cartId === undefined
      ? undefined
      : await run(Effect.flatMap(CartService.CartService, (carts) => carts.view(cartId)))
  if (view === undefined || view.cart.lines.length === 0) {
    return (
      <section>
        <h1>Your cart</h1>
        <p data-testid="cart-empty">
          Your cart is empty. <Link href="/">Browse the products</Link>.
        </p>
      </section>
    )
  }
  const names = await Promise.all(view.priced.lines.map((line) => readProduct(line.sku)))
  const total = amount(view.priced.total)
  return (
    <section>
      <h1>Your cart</h1>
      <table data-testid="cart-lines">
        <thead>
          <tr>
            <th>Product</th>
            <th className="num">Unit price</th>
            <th>Quantity</th>
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {view.priced.lines.map((line, i) => (
            <tr key={line.sku} data-testid="cart-line" data-sku={line.sku}>
              <td>
                <Link href={`/products/${encodeURIComponent(line.sku)}`}>
                  {names[i]?.name ?? line.sku}
                </Link>
                <div className="muted">{line.sku}</div>
              </td>
              <td
                className="num"
                data-testid="line-unit-price"
                data-amount={amount(line.unitPrice).amount}
              >
                {amount(line.unitPrice).text}
              </td>
              <td>
                <span data-testid="line-quantity-shown">{line.quantity}</span>
                <CartLineForms sku={line.sku} quantity={line.quantity} />
              </td>
              <td className="num" data-testid="line-total" data-amount={amount(line.total).amount}>
                {amount(line.total).text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="totals">
        <p>
          VAT included: <span data-testid="cart-tax">{amount(view.priced.tax).text}</span>
        </p>
        <p className="price">
          Total:{" "}
          <span data-testid="cart-total" data-amount={total.amount}>
            {total.text}
          </span>
        </p>
        <CheckoutForm total={total} />
      </div>
    </section>
  )
}
