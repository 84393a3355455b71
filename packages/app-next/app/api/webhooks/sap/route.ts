/**
 * SAP's webhooks: verified on the raw body, ingested, answered.
 *
 * @since 0.1.0
 */
import { route } from "../../../../src/WebhookRoute"

/** Receives one SAP notification. */
export const POST = route("sap")
