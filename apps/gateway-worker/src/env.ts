/**
 * @module env
 * The Worker's bindings and variables (see wrangler.jsonc).
 */
import type { CompactionVars } from "./alarm-compaction.js";

/** Bindings of the Worker and its Durable Object (the compaction variables: `CompactionVars`). */
export interface Env extends CompactionVars {
  readonly GATEWAY: DurableObjectNamespace;
  readonly LAKE: R2Bucket;
  /** HS256 secret (a Worker secret: `wrangler secret put JWT_SECRET`). */
  readonly JWT_SECRET?: string;
  /** Or a JWKS URL for RS256/ES256 tokens from an identity provider. */
  readonly JWKS_URL?: string;
  readonly FLUSH_MAX_BYTES?: string;
  readonly FLUSH_MAX_AGE_MS?: string;
  readonly MAX_BODY_BYTES?: string;
  /** Flushed log entries kept for incremental pulls (older cursors restart from a checkpoint). */
  readonly LOG_RETENTION?: string;
  /** Row states kept in the object's memory (the rest stay in its SQLite storage); 20,000. */
  readonly ROW_CACHE?: string;
  /** Largest value of one column in bytes (413 above); defaults to 1 MiB. */
  readonly MAX_VALUE_BYTES?: string;
  /** Gateway ids served without an admin creating them first (comma-separated). */
  readonly GATEWAY_IDS?: string;
  /** Ids matching this regular expression (the whole id) are served too. */
  readonly GATEWAY_PATTERN?: string;
  /** The Iceberg REST catalogue flushes commit to (R2 Data Catalog's URI in production). */
  readonly CATALOGUE_URI?: string;
  /** The warehouse URI of the lake in that catalogue. */
  readonly CATALOGUE_WAREHOUSE?: string;
  /** The catalogue's bearer token (a Worker secret: `wrangler secret put CATALOGUE_TOKEN`). */
  readonly CATALOGUE_TOKEN?: string;
  /** Comma-separated origins allowed by CORS, or `*`. */
  readonly CORS_ORIGINS?: string;
  /** `store` (the default) or `lake`: where new clients' checkpoints come from. */
  readonly CHECKPOINTS?: string;
}
