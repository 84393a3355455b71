/**
 * NetSuite Token-Based Authentication: OAuth 1.0a request signing with
 * HMAC-SHA256 (RFC 5849 §3.4), as Oracle documents it for SuiteTalk REST.
 *
 * The signature base string covers the method, the URL without its query,
 * and every `oauth_*` and query parameter sorted; the key is
 * `consumerSecret&tokenSecret`. The `realm` is the account id in upper case
 * with `-` turned into `_` and is not signed.
 *
 * @since 0.1.0
 */
import { createHmac, randomBytes } from "node:crypto"

/** The credentials of one integration and token. */
export interface Credentials {
  readonly realm: string
  readonly consumerKey: string
  readonly consumerSecret: string
  readonly tokenId: string
  readonly tokenSecret: string
}

/** One request to sign; `nonce` and `timestamp` are drawn when absent. */
export interface Request {
  readonly method: string
  /** The full URL, query included. */
  readonly url: string
  readonly nonce?: string
  readonly timestamp?: string
}

/** What signing produced; `header` is the `Authorization` value. */
export interface Signed {
  readonly baseString: string
  readonly signingKey: string
  readonly signature: string
  readonly header: string
}

/** Percent-encodes as RFC 3986 asks (`encodeURIComponent` leaves `!'()*` alone). */
export const encode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`
  )

/** The realm for an account id: `1234567-sb1` is `1234567_SB1`. */
export const realmOf = (accountId: string): string => accountId.toUpperCase().replace(/-/g, "_")

/** The REST host for an account id: `1234567_SB1` is `1234567-sb1.suitetalk.api.netsuite.com`. */
export const hostOf = (accountId: string): string =>
  `${accountId.toLowerCase().replace(/_/g, "-")}.suitetalk.api.netsuite.com`

const baseUrlOf = (url: URL): string => {
  const defaultPort =
    (url.protocol === "https:" && url.port === "443") ||
    (url.protocol === "http:" && url.port === "80")
  const port = url.port === "" || defaultPort ? "" : `:${url.port}`
  return `${url.protocol}//${url.hostname.toLowerCase()}${port}${url.pathname}`
}

/** Signs a request; pure when `nonce` and `timestamp` are given. */
export const sign = (credentials: Credentials, request: Request): Signed => {
  const url = new URL(request.url)
  const oauth: ReadonlyArray<readonly [string, string]> = [
    ["oauth_consumer_key", credentials.consumerKey],
    ["oauth_nonce", request.nonce ?? randomBytes(16).toString("hex")],
    ["oauth_signature_method", "HMAC-SHA256"],
    ["oauth_timestamp", request.timestamp ?? String(Math.floor(Date.now() / 1000))],
    ["oauth_token", credentials.tokenId],
    ["oauth_version", "1.0"]
  ]
  const params = [...oauth, ...url.searchParams.entries()]
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : 1) : ka < kb ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join("&")

  const baseString = [request.method.toUpperCase(), encode(baseUrlOf(url)), encode(params)].join(
    "&"
  )
  const signingKey = `${encode(credentials.consumerSecret)}&${encode(credentials.tokenSecret)}`
  const signature = createHmac("sha256", signingKey).update(baseString).digest("base64")

  const fields = new Map(oauth)
  const quoted = (key: string, value: string) => `${key}="${encode(value)}"`
  const header = [
    `OAuth realm="${credentials.realm}"`,
    quoted("oauth_token", credentials.tokenId),
    quoted("oauth_consumer_key", credentials.consumerKey),
    quoted("oauth_nonce", fields.get("oauth_nonce")!),
    quoted("oauth_timestamp", fields.get("oauth_timestamp")!),
    quoted("oauth_signature_method", "HMAC-SHA256"),
    quoted("oauth_version", "1.0"),
    quoted("oauth_signature", signature)
  ].join(", ")

  return { baseString, signingKey, signature, header }
}
