/**
 * A CMS held in memory: content by slug. Its notifications are plain JSON
 * lists of domain events, as built by `MemoryErp.webhook`.
 *
 * @since 0.1.0
 */
import { Cms } from "@mercantile/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { decodeWebhook } from "./Erp"

/** Changes the memory CMS's content. */
export class MemoryCmsControl extends Context.Tag("@mercantile/testkit/MemoryCmsControl")<
  MemoryCmsControl,
  {
    /** Adds content, or replaces the content of the same slug. */
    readonly upsert: (content: Cms.Content) => Effect.Effect<void>
  }
>() {}

/** Builds the CMS, its notifications and its control. */
export const make = (contents: ReadonlyArray<Cms.Content>) =>
  Effect.sync(() => {
    const bySlug = new Map(contents.map((c) => [c.slug, c]))
    return {
      cms: Cms.Cms.of({
        content: (slug) => Effect.sync(() => Option.fromNullable(bySlug.get(slug)))
      }),
      webhooks: Cms.CmsWebhooks.of({ decode: (raw) => decodeWebhook("cms", raw) }),
      control: MemoryCmsControl.of({
        upsert: (content) =>
          Effect.sync(() => {
            bySlug.set(content.slug, content)
          })
      })
    }
  })

/** The CMS ports and {@link MemoryCmsControl}, holding `contents`. */
export const layer = (
  contents: ReadonlyArray<Cms.Content>
): Layer.Layer<Cms.Cms | Cms.CmsWebhooks | MemoryCmsControl> =>
  Layer.effectContext(
    Effect.map(make(contents), (s) =>
      Context.make(Cms.Cms, s.cms).pipe(
        Context.add(Cms.CmsWebhooks, s.webhooks),
        Context.add(MemoryCmsControl, s.control)
      )
    )
  )
