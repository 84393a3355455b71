/**
 * The storefront's shell: header, main column, footer. System fonts only.
 *
 * @since 0.1.0
 */
import type { Metadata } from "next"
import Link from "next/link"
import type { ReactNode } from "react"
import "./globals.css"

/** The document's default title and description. */
export const metadata: Metadata = {
  title: { default: "Mercantile", template: "%s · Mercantile" },
  description: "A storefront on Mercantile's commerce core."
}

/** Wraps every page. */
export default function RootLayout({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand" data-testid="home-link">
            Mercantile
          </Link>
          <nav>
            <Link href="/cart" data-testid="cart-link">
              Cart
            </Link>
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">Prices include 19 % VAT.</footer>
      </body>
    </html>
  )
}
