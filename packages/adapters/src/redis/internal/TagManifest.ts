/**
 * One instance's mirror of the shared tag manifest: when each tag was last
 * marked stale or expired, with the same rules as Next's own manifest.
 *
 * @internal
 */

/** When a tag was invalidated, in epoch milliseconds. */
export interface TagTimes {
  /** Entries older than this are served once more and refreshed. */
  readonly stale?: number
  /** Entries older than this are a miss once this moment has come. */
  readonly expired?: number
}

/** The mirror, and how far into the shared log it has read. */
export interface TagManifest {
  readonly times: Map<string, TagTimes>
  /** The shared manifest this mirror follows (it changes when Redis is wiped). */
  epoch: string
  /** The last log position applied. */
  seq: number
}

/** An empty mirror. */
export const empty = (): TagManifest => ({ times: new Map(), epoch: "", seq: 0 })

/**
 * What an invalidation at `now` writes for each tag: with no durations the
 * tag expires at once (`updateTag`, `revalidateTag` without a profile); with
 * durations it turns stale at once and expires after `expire` seconds.
 */
export const invalidation = (
  now: number,
  durations: { readonly expire?: number } | undefined
): TagTimes => {
  if (durations === undefined) return { expired: now }
  if (durations.expire === undefined) return { stale: now }
  return { stale: now, expired: now + durations.expire * 1000 }
}

/** Whether a tag expired after `timestamp` and the expiry has come by `now`. */
export const isExpired = (
  manifest: TagManifest,
  tags: ReadonlyArray<string>,
  timestamp: number,
  now: number
): boolean =>
  tags.some((tag) => {
    const expired = manifest.times.get(tag)?.expired
    return expired !== undefined && expired > timestamp && expired <= now
  })

/** Whether a tag turned stale after `timestamp`. */
export const isStale = (
  manifest: TagManifest,
  tags: ReadonlyArray<string>,
  timestamp: number
): boolean =>
  tags.some((tag) => {
    const stale = manifest.times.get(tag)?.stale
    return stale !== undefined && stale > timestamp
  })

/** The latest expiry among the tags that has come by `now`, else `0`. */
export const expiration = (
  manifest: TagManifest,
  tags: ReadonlyArray<string>,
  now: number
): number =>
  tags.reduce((latest, tag) => {
    const expired = manifest.times.get(tag)?.expired ?? 0
    return expired <= now ? Math.max(latest, expired) : latest
  }, 0)
