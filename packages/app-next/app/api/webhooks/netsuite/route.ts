/**
 * NetSuite's webhooks: verified on the raw body, ingested, answered.
 *
 * @since 0.1.0
 */
import { route } from "../../../../src/WebhookRoute"

/** Receives one NetSuite notification. */
export const POST = route("netsuite")
