/**
 * A product page composed by shared identifier: PIM data by SKU, CMS content
 * by the product's slug, price and stock by SKU, each cached under its own
 * tag.
 *
 * @since 0.1.0
 */
import type { Metadata } from "next"
import { notFound } from "next/navigation"
import { connection } from "next/server"
import { Suspense } from "react"
import {
  readContent,
  readPrice,
  readProduct,
  readStock,
  type ContentData
} from "../../../src/reads"
import { AddToCart } from "../../../src/ui/AddToCart"

interface Params {
  readonly sku: string
}

/** The page's title: the product's name. */
export async function generateMetadata({
  params
}: {
  readonly params: Promise<Params>
}): Promise<Metadata> {
  const { sku } = await params
  await connection()
  const product = await readProduct(decodeURIComponent(sku))
  return { title: product?.name ?? "Product not found" }
}

/** The product page. */
export default function ProductPage({ params }: { readonly params: Promise<Params> }) {
  return (
    <Suspense fallback={<p className="muted">Loading product…</p>}>
      <Product params={params} />
    </Suspense>
  )
}

async function Product({ params }: { readonly params: Promise<Params> }) {
  // TODO(malformed-url): `/products/%ZZ` answers Next's bare 500 because the route's params fail to
  // decode before this page runs; answer 400 from a proxy (middleware) once one is added.
  const sku = decodeURIComponent((await params).sku)
  await connection()
  const product = await readProduct(sku)
  // TODO(not-found-status): an unknown SKU's not-found travels inside the stream after a 200
  // status line; answer a real 404 once the product read can run before the Suspense boundary
  // without making the whole route dynamic at build (cacheComponents).
  if (product === null) notFound()
  const [content, price, stock] = await Promise.all([
    readContent(product.slug),
    readPrice(product.sku),
    readStock(product.sku)
  ])
  const attributes = Object.entries(product.attributes)
  return (
    <article className="product" data-testid="product" data-sku={product.sku}>
      <div>
        <h1 data-testid="product-name">{product.name}</h1>
        <p className="muted">
          SKU <span data-testid="product-sku">{product.sku}</span>
        </p>
        {attributes.length > 0 && (
          <dl className="attributes" data-testid="product-attributes">
            {attributes.map(([name, value]) => (
              <div key={name} style={{ display: "contents" }}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
        {product.description !== null && (
          <p data-testid="product-description">{product.description}</p>
        )}
        {content !== null && <Content content={content} />}
      </div>
      <aside className="buy-box">
        {price === null ? (
          <p className="price" data-testid="product-price">
            Not for sale
          </p>
        ) : (
          <p>
            <span className="price" data-testid="product-price" data-amount={price.price.amount}>
              {price.price.text}
            </span>
            {price.compareAt !== null && (
              <>
                {" "}
                <s className="muted">{price.compareAt.text}</s>
              </>
            )}
            <br />
            <span className="muted">{price.taxInclusive ? "incl. VAT" : "excl. VAT"}</span>
          </p>
        )}
        <p className={`stock ${stock === 0 ? "none" : stock < 5 ? "low" : ""}`}>
          <span data-testid="product-stock" data-available={stock}>
            {stock === 0 ? "Out of stock" : `${stock} in stock`}
          </span>
        </p>
        <AddToCart sku={product.sku} disabled={price === null || stock === 0} />
      </aside>
    </article>
  )
}

function Content({ content }: { readonly content: ContentData }) {
  return (
    <section data-testid="product-content">
      <h2>{content.title}</h2>
      {content.blocks.map((block, i) => {
        const spans = block.spans.map((span, j) => {
          const strong = span.marks.includes("strong")
          const em = span.marks.includes("em")
          const text = em ? <em>{span.text}</em> : span.text
          return <span key={j}>{strong ? <strong>{text}</strong> : text}</span>
        })
        switch (block.style) {
          case "h2":
            return <h3 key={i}>{spans}</h3>
          case "h3":
            return <h4 key={i}>{spans}</h4>
          case "blockquote":
            return <blockquote key={i}>{spans}</blockquote>
          case "normal":
            return <p key={i}>{spans}</p>
        }
      })}
    </section>
  )
}
