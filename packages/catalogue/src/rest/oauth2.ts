/**
 * @module rest/oauth2
 * OAuth2 client credentials for a REST catalogue (RFC 6749 section 4.4, as Iceberg clients use
 * it): `credential` is `client_id:client_secret` (or a bare secret), exchanged at the token
 * endpoint for a bearer token, cached, and fetched again shortly before it expires or when the
 * catalogue answers 401. Concurrent callers share one token request.
 */
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import {
  describeRequest,
  errorForNetwork,
  type RequestLabel,
  serverDetail,
} from "./client-errors.js";
import { exchange, type FetchLike, parseJsonBody } from "./http-exchange.js";

/** Options of {@link OAuth2ClientCredentials}. */
export interface OAuth2Options {
  /** `client_id:client_secret`, or a secret alone (then no `client_id` is sent). */
  readonly credential: string;
  /** Defaults to `catalog`, the scope Iceberg clients ask for. */
  readonly scope?: string;
  /** The token endpoint (`oauth2-server-uri`). */
  readonly tokenEndpoint: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  /** Milliseconds since the epoch; injectable so tests control expiry. */
  readonly now: () => number;
  /** Refresh this long before expiry. Defaults to 60 s, and never more than half a token's life. */
  readonly refreshMarginMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

interface CachedToken {
  readonly token: string;
  /** When to fetch a new one; `undefined` when the lifetime is unknown (refresh on 401 only). */
  readonly refreshAt: number | undefined;
}

/** The `exp` claim of a JWT in milliseconds, or `undefined` for an opaque token. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A cached OAuth2 client-credentials token. {@link accessToken} returns a valid token or an
 * `Err` (`UNAUTHORISED` when the endpoint refuses the credential, `CATALOGUE_UNAVAILABLE` when
 * it cannot be reached); it never throws.
 */
export class OAuth2ClientCredentials {
  #endpoint: string;
  #cached: CachedToken | undefined;
  #pending: Promise<Result<string, LakeSyncError>> | undefined;
  readonly #options: OAuth2Options;

  constructor(options: OAuth2Options) {
    this.#options = options;
    this.#endpoint = options.tokenEndpoint;
  }

  /** The token endpoint in use. */
  get endpoint(): string {
    return this.#endpoint;
  }

  /** Switches to another token endpoint (one the catalogue's configuration names). */
  useEndpoint(url: string): void {
    if (url === this.#endpoint) return;
    this.#endpoint = url;
    this.#cached = undefined;
  }

  /** Forgets the cached token, so the next call fetches a new one (after a 401). */
  invalidate(): void {
    this.#cached = undefined;
  }

  /** A bearer token that is not about to expire. */
  accessToken(): Promise<Result<string, LakeSyncError>> {
    const cached = this.#cached;
    if (cached && (cached.refreshAt === undefined || this.#options.now() < cached.refreshAt))
      return Promise.resolve(Ok(cached.token));
    if (!this.#pending)
      this.#pending = this.#fetchToken().finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }

  async #fetchToken(): Promise<Result<string, LakeSyncError>> {
    const { credential, scope, fetch, timeoutMs, now, headers } = this.#options;
    const colon = credential.indexOf(":");
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (colon >= 0) form.set("client_id", credential.slice(0, colon));
    form.set("client_secret", colon >= 0 ? credential.slice(colon + 1) : credential);
    form.set("scope", scope ?? "catalog");
    const label: RequestLabel = { operation: "getToken", method: "POST", url: this.#endpoint };
    const sent = await exchange(
      fetch,
      this.#endpoint,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form.toString(),
      },
      timeoutMs,
    );
    if (!sent.ok) return Err(errorForNetwork(label, sent.error.cause, sent.error.timedOut));
    const { status, text } = sent.value;
    const parsed = parseJsonBody(text);
    const body = parsed.ok ? parsed.value : undefined;
    if (status < 200 || status > 299) {
      const detail = serverDetail(body, text);
      const said = `${status}${detail.type ? ` ${detail.type}` : ""}: ${detail.message}`;
      const message = `${describeRequest(label)} failed with ${said}`;
      return Err(
        status >= 500 || status === 429
          ? new CatalogueError("CATALOGUE_UNAVAILABLE", message)
          : new LakeSyncError("UNAUTHORISED", `${message} (the client credential was refused)`),
      );
    }
    const token = (body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof token !== "string" || token === "")
      return Err(
        new LakeSyncError(
          "UNAUTHORISED",
          `${describeRequest(label)} answered without an access_token`,
        ),
      );
    const issued = now();
    const expiresIn = (body as { expires_in?: unknown }).expires_in;
    const expiresAt =
      typeof expiresIn === "number" && expiresIn > 0 ? issued + expiresIn * 1000 : jwtExpiry(token);
    let refreshAt: number | undefined;
    if (expiresAt !== undefined) {
      const margin = Math.min(this.#options.refreshMarginMs ?? 60_000, (expiresAt - issued) / 2);
      refreshAt = expiresAt - margin;
    }
    this.#cached = { token, refreshAt };
    return Ok(token);
  }
}
