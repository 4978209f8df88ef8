/**
 * @module rest/http-client
 * The REST catalogue client's transport: JSON requests with the bearer token (static or OAuth2),
 * extra headers and a timeout; idempotent requests (GET, HEAD) retried with exponential back-off
 * on 429, 503 and network failures; a 401 (or 419) answered once more after fetching a fresh
 * OAuth2 token, which is safe for any request because a refused token was not acted on.
 * Nothing else is retried: a commit that failed is re-planned by the committer above.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  errorForBody,
  errorForNetwork,
  errorForStatus,
  type RequestLabel,
  type RestOperation,
} from "./client-errors.js";
import { exchange, type FetchLike, parseJsonBody, retryAfterMs } from "./http-exchange.js";
import type { OAuth2ClientCredentials } from "./oauth2.js";

/** The HTTP methods of the catalogue API that LakeSync uses. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "DELETE";

/** How idempotent requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `attempts + 1` requests at most). */
  readonly attempts: number;
  /** First delay; doubled on every retry. */
  readonly baseDelayMs: number;
  /** Upper bound of any delay, `Retry-After` included. */
  readonly maxDelayMs: number;
}

/** Options of {@link RestHttpClient}. */
export interface RestHttpOptions {
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly headers: Readonly<Record<string, string>>;
  readonly token?: string;
  readonly oauth?: OAuth2ClientCredentials;
}

/** A successful (2xx) reply with its parsed JSON body (`undefined` when empty). */
export interface RestReply {
  readonly status: number;
  readonly body: unknown;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD"]);

/** Sends catalogue requests; see the module comment for the retry rules. Never throws. */
export class RestHttpClient {
  readonly #options: RestHttpOptions;

  constructor(options: RestHttpOptions) {
    this.#options = options;
  }

  /**
   * Sends one logical request. Returns the 2xx reply, or the mapped error of the last attempt
   * (see `errorForStatus`, `errorForNetwork`).
   */
  async send(
    operation: RestOperation,
    method: HttpMethod,
    url: string,
    body?: unknown,
  ): Promise<Result<RestReply, LakeSyncError>> {
    const label: RequestLabel = { operation, method, url };
    const { retry, sleep, fetch, timeoutMs, oauth } = this.#options;
    const idempotent = IDEMPOTENT.has(method);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const headers = await this.#headers(body !== undefined);
      if (!headers.ok) return headers;
      const init: RequestInit = { method, headers: headers.value };
      if (body !== undefined) init.body = JSON.stringify(body);
      const sent = await exchange(fetch, url, init, timeoutMs);
      const canRetry = idempotent && attempt < retry.attempts;
      const backOff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
      if (!sent.ok) {
        if (canRetry) {
          await sleep(backOff);
          continue;
        }
        return Err(errorForNetwork(label, sent.error.cause, sent.error.timedOut));
      }
      const { status, headers: replyHeaders, text } = sent.value;
      if ((status === 401 || status === 419) && oauth && !refreshed) {
        // A refused token was not acted on, so asking again with a fresh one is safe.
        refreshed = true;
        oauth.invalidate();
        attempt--;
        continue;
      }
      if ((status === 429 || status === 503) && canRetry) {
        await sleep(Math.min(retry.maxDelayMs, retryAfterMs(replyHeaders) ?? backOff));
        continue;
      }
      const parsed = parseJsonBody(text);
      if (status >= 200 && status <= 299) {
        if (!parsed.ok) return Err(errorForBody(label, `invalid JSON (${parsed.error})`));
        return Ok({ status, body: parsed.value });
      }
      return Err(errorForStatus(label, status, parsed.ok ? parsed.value : undefined, text));
    }
  }

  async #headers(json: boolean): Promise<Result<Record<string, string>, LakeSyncError>> {
    const headers: Record<string, string> = {
      ...this.#options.headers,
      accept: "application/json",
    };
    if (json) headers["content-type"] = "application/json";
    const { token, oauth } = this.#options;
    if (oauth) {
      const fresh = await oauth.accessToken();
      if (!fresh.ok) return fresh;
      headers.authorization = `Bearer ${fresh.value}`;
    } else if (token !== undefined) {
      headers.authorization = `Bearer ${token}`;
    }
    return Ok(headers);
  }
}
