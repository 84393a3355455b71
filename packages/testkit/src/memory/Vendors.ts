/**
 * Every vendor port held in memory, in one layer: ERP, PIM, CMS, Merchant of
 * Record and cache invalidation, with their control services.
 *
 * @since 0.1.0
 */
import type { Cms, Pim } from "@mercantile/domain"
import * as Layer from "effect/Layer"
import * as MemoryCache from "./CacheInvalidation"
import * as MemoryCms from "./Cms"
import * as MemoryErp from "./Erp"
import * as MemoryMerchant from "./MerchantOfRecord"
import * as MemoryPim from "./Pim"

/** What the memory vendors start with. */
export interface Seed {
  readonly erp: MemoryErp.Seed
  readonly products?: ReadonlyArray<Pim.Product>
  readonly categories?: ReadonlyArray<Pim.Category>
  readonly contents?: ReadonlyArray<Cms.Content>
}

/** All memory vendor layers merged. */
export const layer = (seed: Seed) =>
  Layer.mergeAll(
    MemoryErp.layer(seed.erp),
    MemoryPim.layer(seed.products ?? [], seed.categories),
    MemoryCms.layer(seed.contents ?? []),
    MemoryMerchant.layer(),
    MemoryCache.layer
  )
