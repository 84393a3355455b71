/**
 * Every priced variant SKU of the demo catalog is served under its real
 * name and its EUR price (186 of them in the Akeneo demo).
 */
import { describe, expect, inject, it } from "vitest"
import { eur, productPath, testId } from "./support"

const stack = inject("stack")

/** The priced variants of the Akeneo icecat demo: 240 variants, 54 without a price. */
const akeneoPricedSkus = 186

describe("the catalog", () => {
  it("holds the expected number of priced SKUs", () => {
    if (inject("sharedCatalog")) expect(stack.items).toHaveLength(akeneoPricedSkus)
    else expect(stack.items.length).toBeGreaterThan(0)
  })

  it("serves every priced SKU under its name and EUR price", async () => {
    const wrong: Array<string> = []
    const queue = [...stack.items]
    const worker = async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        const response = await fetch(`${stack.storefrontUrl}${productPath(item.sku)}`)
        const html = await response.text()
        const name = testId(html, "product-name")
        const price = testId(html, "product-price")
        const sku = testId(html, "product-sku")
        if (
          response.status !== 200 ||
          name !== item.name ||
          price !== eur(item.eur) ||
          sku !== item.sku
        ) {
          wrong.push(
            `${item.sku}: ${response.status} ${name} ${price} (want ${item.name} ${eur(item.eur)})`
          )
        }
      }
    }
    await Promise.all(Array.from({ length: 4 }, worker))
    expect(wrong).toEqual([])
  })
})
