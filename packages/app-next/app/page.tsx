/**
 * The listing: category navigation and one page of products.
 *
 * @since 0.1.0
 */
import Link from "next/link"
import { connection } from "next/server"
import { Suspense } from "react"
import {
  readCategories,
  readListing,
  readPrice,
  type CategoryData,
  type ProductData
} from "../src/reads"

interface Query {
  readonly category?: string | Array<string>
  readonly cursor?: string | Array<string>
}

const one = (value: string | Array<string> | undefined): string | null =>
  typeof value === "string" && value !== "" ? value : null

/** The home page: products by category. */
export default function Home({ searchParams }: { readonly searchParams: Promise<Query> }) {
  return (
    <Suspense fallback={<p className="muted">Loading products…</p>}>
      <Listing searchParams={searchParams} />
    </Suspense>
  )
}

async function Listing({ searchParams }: { readonly searchParams: Promise<Query> }) {
  const query = await searchParams
  await connection()
  const category = one(query.category)
  const cursor = one(query.cursor)
  const [categories, page] = await Promise.all([readCategories(), readListing(category, cursor)])
  const current = categories.find((c) => c.code === category)
  return (
    <div className="layout">
      <Categories categories={categories} current={category} />
      <section>
        <h1 data-testid="listing-title">{current?.label ?? "All products"}</h1>
        {page.items.length === 0 ? (
          <p className="muted" data-testid="listing-empty">
            No products here yet.
          </p>
        ) : (
          <ul className="grid" data-testid="product-list">
            {page.items.map((p) => (
              <li key={p.sku}>
                <ProductCard product={p} />
              </li>
            ))}
          </ul>
        )}
        {page.next !== null && (
          <p className="pager">
            <Link
              href={{
                pathname: "/",
                query: { ...(category ? { category } : {}), cursor: page.next }
              }}
              data-testid="next-page"
            >
              More products →
            </Link>
          </p>
        )}
      </section>
    </div>
  )
}

/** Roots as headings and their children as links. */
function Categories(props: {
  readonly categories: ReadonlyArray<CategoryData>
  readonly current: string | null
}) {
  const roots = props.categories.filter((c) => c.parent === null)
  return (
    <nav className="categories" aria-label="Categories" data-testid="category-nav">
      <ul>
        <li>
          <Link href="/" aria-current={props.current === null ? "page" : undefined}>
            All products
          </Link>
        </li>
      </ul>
      {roots.map((root) => (
        <div key={root.code}>
          <h2 className="muted">{root.label}</h2>
          <ul>
            {[root, ...props.categories.filter((c) => c.parent === root.code)].map((c) => (
              <li key={c.code}>
                <Link
                  href={{ pathname: "/", query: { category: c.code } }}
                  aria-current={props.current === c.code ? "page" : undefined}
                  data-testid={`category-${c.code}`}
                >
                  {c.code === root.code ? `All ${c.label}` : c.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  )
}

async function ProductCard({ product }: { readonly product: ProductData }) {
  const price = await readPrice(product.sku)
  return (
    <Link
      href={`/products/${encodeURIComponent(product.sku)}`}
      className="card"
      data-testid="product-card"
      data-sku={product.sku}
    >
      <strong>{product.name}</strong>
      <div className="sku">{Object.values(product.attributes).join(" · ") || product.sku}</div>
      <div className="price">{price?.price.text ?? "Not for sale"}</div>
    </Link>
  )
}
