/**
 * @module rest/rest-catalogue-options
 * The options of a REST catalogue client and the transport built from them: the HTTP client
 * with its retry policy and timeout, the bearer token or OAuth2 client credentials, and the
 * problems with the options themselves (reported by the client's first call, never thrown).
 */
import { RestHttpClient, type RetryPolicy } from "./http-client.js";
import type { FetchLike } from "./http-exchange.js";
import { OAuth2ClientCredentials } from "./oauth2.js";

/** Options of {@link RestCatalogue}. */
export interface RestCatalogueOptions {
  /** Base URI of the catalogue, before `/v1` (e.g. `http://localhost:19120/iceberg`). */
  readonly uri: string;
  /** Warehouse to ask `GET /v1/config` for (a location or a name, depending on the server). */
  readonly warehouse?: string;
  /** A path prefix to use when the server's configuration does not override it. */
  readonly prefix?: string;
  /** A bearer token sent with every request. */
  readonly token?: string;
  /** OAuth2 client credentials, `client_id:client_secret`, exchanged for tokens. */
  readonly credential?: string;
  /** OAuth2 scope; defaults to `catalog`. */
  readonly scope?: string;
  /** OAuth2 token endpoint; defaults to the server's `oauth2-server-uri`, then `<uri>/v1/oauth/tokens`. */
  readonly oauth2ServerUri?: string;
  /** Headers added to every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `fetch` to call; defaults to the global one. */
  readonly fetch?: FetchLike;
  /** Per-request timeout covering the whole response; defaults to 30 s. */
  readonly timeoutMs?: number;
  /** Retries of GET/HEAD on 429, 503 and network failures; defaults to 3, from 200 ms to 5 s. */
  readonly retry?: Partial<RetryPolicy>;
  /** Page size for listings; defaults to the server's `rest-page-size`, else unpaginated. */
  readonly pageSize?: number;
  /** How to wait between retries; injectable so tests never sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock for OAuth2 token expiry; defaults to `Date.now`. */
  readonly now?: () => number;
  /** Name for messages; defaults to `rest:<uri>`. */
  readonly name?: string;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/** What a client sends requests with. */
export interface RestTransport {
  /** The base URI without trailing slashes. */
  readonly uri: string;
  readonly http: RestHttpClient;
  readonly oauth: OAuth2ClientCredentials | undefined;
  /** Why the options cannot work, if they cannot. */
  readonly problem: string | undefined;
}

/** Builds the transport of {@link RestCatalogueOptions}; never throws. */
export function createTransport(options: RestCatalogueOptions): RestTransport {
  const uri = options.uri.replace(/\/+$/, "");
  let problem: string | undefined;
  if (!/^https?:\/\/[^/]/.test(uri))
    problem = `uri ${JSON.stringify(options.uri)} is not an http(s) URL`;
  else if (options.token !== undefined && options.credential !== undefined)
    problem = "give either a token or a credential, not both";
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const headers = options.headers ?? {};
  const oauth =
    options.credential === undefined
      ? undefined
      : new OAuth2ClientCredentials({
          credential: options.credential,
          tokenEndpoint: options.oauth2ServerUri ?? `${uri}/v1/oauth/tokens`,
          fetch: fetchFn,
          timeoutMs,
          headers,
          now: options.now ?? Date.now,
          ...(options.scope === undefined ? {} : { scope: options.scope }),
        });
  const http = new RestHttpClient({
    fetch: fetchFn,
    timeoutMs,
    headers,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(oauth === undefined ? {} : { oauth }),
  });
  return { uri, http, oauth, problem };
}
