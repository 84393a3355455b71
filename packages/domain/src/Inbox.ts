/**
 * The inbox: every upstream event is received exactly once, and events about
 * one subject are applied in the order they happened at the source.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { UpstreamEvent } from "./Event"
import type { StoreError } from "./StoreError"

/**
 * What the inbox made of an event: `New` (stored, to apply), `Duplicate`
 * (already received: do nothing) or `Stale` (a newer fact about the same
 * subject was already received: record it, apply nothing).
 */
export type Receipt = "New" | "Duplicate" | "Stale"

/** Exactly-once receipt of upstream events. */
export class Inbox extends Context.Tag("@mercantile/domain/Inbox")<
  Inbox,
  {
    /** Stores an event by its source and id, and says whether to apply it. */
    readonly receive: (event: UpstreamEvent) => Effect.Effect<Receipt, StoreError>
  }
>() {}
