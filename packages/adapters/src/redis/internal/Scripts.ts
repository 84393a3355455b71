/**
 * The Redis layout of the shared cache and the Lua scripts that keep its tag
 * manifest consistent across instances.
 *
 * Keys under a prefix `p`:
 * - `p entry:<cacheKey>` — a hash: `meta` (JSON) and `value` (the bytes);
 * - `p tags:stale`, `p tags:expired` — hashes from tag to epoch milliseconds;
 * - `p tags:seq` — a counter, one step per invalidation;
 * - `p tags:log` — a sorted set from tag to the step that last touched it;
 * - `p tags:epoch` — an id that changes when the manifest is wiped.
 *
 * An instance remembers the last step it read, so a refresh returns only the
 * tags invalidated since: one round trip, small when nothing changed.
 *
 * @internal
 */
import type { Redis } from "ioredis"

/** The keys of one prefix. */
export const keys = (prefix: string) => ({
  entry: (cacheKey: string) => `${prefix}entry:${cacheKey}`,
  tags: [
    `${prefix}tags:seq`,
    `${prefix}tags:log`,
    `${prefix}tags:stale`,
    `${prefix}tags:expired`,
    `${prefix}tags:epoch`
  ] as const
})

/** ARGV: stale or "", expired or "", a fresh epoch id, then the tags. */
const update = `
if redis.call("EXISTS", KEYS[5]) == 0 then redis.call("SET", KEYS[5], ARGV[3]) end
local seq = redis.call("INCR", KEYS[1])
for i = 4, #ARGV do
  local tag = ARGV[i]
  if ARGV[1] ~= "" then redis.call("HSET", KEYS[3], tag, ARGV[1]) end
  if ARGV[2] ~= "" then redis.call("HSET", KEYS[4], tag, ARGV[2]) end
  redis.call("ZADD", KEYS[2], seq, tag)
end
return seq
`

/**
 * ARGV: the epoch and step last read. Answers the epoch, the step, whether
 * the mirror must be cleared, then (tag, stale, expired) triples.
 */
const refresh = `
local epoch = redis.call("GET", KEYS[5]) or ""
local seq = tonumber(redis.call("GET", KEYS[1]) or "0")
local since = tonumber(ARGV[2])
local reset = 0
if epoch ~= ARGV[1] or seq < since then
  since = 0
  reset = 1
end
local out = { epoch, seq, reset }
if seq == since and reset == 0 then return out end
local tags = redis.call("ZRANGEBYSCORE", KEYS[2], "(" .. since, "+inf")
for _, tag in ipairs(tags) do
  out[#out + 1] = tag
  out[#out + 1] = redis.call("HGET", KEYS[3], tag) or ""
  out[#out + 1] = redis.call("HGET", KEYS[4], tag) or ""
end
return out
`

/** A client with the scripts defined on it. */
export interface ScriptedRedis extends Redis {
  mercantileUpdateTags(...args: Array<string>): Promise<number>
  mercantileRefreshTags(...args: Array<string>): Promise<Array<string | number>>
}

/** Defines the scripts on a client (sent once, then called by SHA). */
export const define = (redis: Redis): ScriptedRedis => {
  redis.defineCommand("mercantileUpdateTags", { numberOfKeys: 5, lua: update })
  redis.defineCommand("mercantileRefreshTags", { numberOfKeys: 5, lua: refresh })
  return redis as ScriptedRedis
}
