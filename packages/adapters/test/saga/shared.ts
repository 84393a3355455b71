/**
 * What the crash tests' parent and child agree on: the plan of carts and the
 * fakes' credentials.
 */
import * as Duration from "effect/Duration"

/** What the parent asks the child to do. */
export interface Plan {
  readonly carts: ReadonlyArray<{
    readonly id: string
    readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>
    /** Whether the shopper pays; an unpaid cart's hold must expire. */
    readonly pay: boolean
  }>
}

/** The fakes' credentials. */
export const credentials = {
  netsuite: {
    accountId: "7654321_SB1",
    consumerKey: "crash-consumer-key",
    consumerSecret: "crash-consumer-secret",
    tokenId: "crash-token-id",
    tokenSecret: "crash-token-secret",
    webhookSecret: "crash-netsuite-webhook"
  },
  paddle: { apiKey: "pdl_sdbx_apikey_crash", webhookSecret: "pdl_ntf_crash_secret" }
} as const

/** How long checkout holds stock. */
export const holdFor = Duration.minutes(15)
