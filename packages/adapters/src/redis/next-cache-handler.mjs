/**
 * The file `cacheHandlers` in `next.config.ts` names. Next imports it with
 * plain Node, which cannot load TypeScript, so it loads `RedisCacheHandler.ts`
 * through tsx's scoped loader (which leaves the rest of the process alone)
 * and exports the handler built from `REDIS_URL` and
 * `MERCANTILE_CACHE_PREFIX`.
 *
 * @since 0.1.0
 */
import { tsImport } from "tsx/esm/api"

const { fromEnv } = await tsImport("./RedisCacheHandler.ts", import.meta.url)

/** The shared Redis cache handler of this process. */
export default fromEnv()
