"use client"
/**
 * The page shown when a page could not be rendered (a vendor down, ...).
 *
 * @since 0.1.0
 */

/** Shows the failure and offers a retry. */
export default function ErrorPage({
  reset
}: {
  readonly error: Error
  readonly reset: () => void
}) {
  return (
    <section data-testid="page-error">
      <h1>Something went wrong</h1>
      <p>This page could not be shown right now.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  )
}
