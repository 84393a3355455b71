/**
 * The demo catalog: where it lives, how to load it, and its shape.
 *
 * `defaultDir` is the project's own small catalog; `fromEnv` honours
 * `MERCANTILE_DEMO_CATALOG` so the storefront and the fakes can be seeded
 * from the larger Akeneo demo in `../shared/catalog` instead.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import * as AkeneoCsv from "./AkeneoCsv"
import type { CatalogError, DemoCatalog } from "./DemoCatalog"

export * from "./DemoCatalog"

/** The project's own demo catalog (an Akeneo CSV export, 3 models, 10 SKUs). */
export const defaultDir: string = fileURLToPath(new URL("../../catalog/demo", import.meta.url))

/** Loads the Akeneo CSV export in `dir`. */
export const load = (dir: string): Effect.Effect<DemoCatalog, CatalogError> => AkeneoCsv.read(dir)

/** The catalog folder named by `MERCANTILE_DEMO_CATALOG`, else {@link defaultDir}. */
export const dirConfig: Config.Config<string> = Config.string("MERCANTILE_DEMO_CATALOG").pipe(
  Config.withDefault(defaultDir)
)

/** Loads the catalog named by `MERCANTILE_DEMO_CATALOG`, else the default one. */
export const fromEnv: Effect.Effect<DemoCatalog, CatalogError | ConfigError.ConfigError> =
  Effect.flatMap(dirConfig, load)
