/**
 * The page shown for an unknown product, order or path.
 *
 * @since 0.1.0
 */
import Link from "next/link"

/** Not found. */
export default function NotFound() {
  return (
    <section data-testid="not-found">
      <h1>Not found</h1>
      <p>
        There is nothing here. <Link href="/">Back to the products</Link>.
      </p>
    </section>
  )
}
