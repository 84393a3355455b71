import { Ids } from "@mercantile/domain"
import type { MemoryVendors } from "@mercantile/testkit"

/** Two SKUs, 38.23 and 10.00 EUR including VAT, 3 and 100 units at one warehouse. */
export const seed: MemoryVendors.Seed = {
  erp: {
    taxInclusive: true,
    items: [
      {
        sku: "MUG-1",
        name: "Mug",
        prices: { EUR: "38.23" },
        stock: [{ location: "WH-1", available: 3 }]
      },
      {
        sku: "TEE-1",
        name: "Tee",
        prices: { EUR: "10.00" },
        stock: [{ location: "WH-1", available: 100 }]
      }
    ]
  }
}

export const mug = Ids.Sku.make("MUG-1")
export const tee = Ids.Sku.make("TEE-1")
export const cartA = Ids.CartId.make("cart-a")
export const cartB = Ids.CartId.make("cart-b")
