/**
 * Akeneo's price collections as price lists.
 *
 * A `pim_catalog_price_collection` attribute holds one amount per currency;
 * the PIM adapter reads them into each product's `listPrices`. This module
 * turns those into one `Base` price list per currency, for stores whose list
 * prices live in the PIM rather than the ERP.
 *
 * @since 0.1.0
 */
import { PriceList } from "@mercantile/domain"
import type { Currency, Pim, PricingError } from "@mercantile/domain"
import * as Either from "effect/Either"

/** The id of the list holding a currency's prices: `akeneo-EUR`. */
export const listId = (currency: Currency.CurrencyCode): string => `akeneo-${currency}`

/**
 * One `Base` list per currency that any product has a price in, sorted by
 * currency. A bad amount fails with a `PricingError` naming the SKU.
 */
export const priceLists = (
  products: ReadonlyArray<Pim.Product>,
  options: { readonly taxInclusive: boolean }
): Either.Either<ReadonlyArray<PriceList.PriceList>, PricingError.PricingError> => {
  const byCurrency = new Map<Currency.CurrencyCode, Array<PriceList.PriceInput>>()
  for (const product of products) {
    for (const amount of product.listPrices) {
      const inputs = byCurrency.get(amount.currency) ?? []
      inputs.push({ id: product.sku, sku: product.sku, amount })
      byCurrency.set(amount.currency, inputs)
    }
  }
  return Either.all(
    [...byCurrency.keys()].sort().map((currency) =>
      PriceList.build({
        id: listId(currency),
        kind: "Base",
        currency,
        taxInclusive: options.taxInclusive,
        prices: byCurrency.get(currency) ?? []
      })
    )
  )
}
