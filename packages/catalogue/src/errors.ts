/**
 * @module errors
 * The one error class of `@lakesync/catalogue`: a {@link LakeSyncError} whose stable `code`
 * says what went wrong with a catalogue, a table commit or an Iceberg file.
 */
import { isLakeSyncError, LakeSyncError, type LakeSyncErrorOptions } from "@lakesync/core";

/**
 * The codes a caller switches on:
 * - `NO_SUCH_NAMESPACE`, `NO_SUCH_TABLE`: the named thing does not exist.
 * - `ALREADY_EXISTS`: a namespace or table of that name exists.
 * - `NAMESPACE_NOT_EMPTY`: a namespace that still holds tables cannot be dropped.
 * - `COMMIT_CONFLICT`: a requirement failed or another writer won; nothing was applied. Reload
 *   and retry.
 * - `COMMIT_STATE_UNKNOWN`: the outcome of a commit is not known (a lost response). Reload and
 *   check before retrying.
 * - `CATALOGUE_UNAVAILABLE`: the catalogue's database, server or storage could not be reached.
 * - `INVALID_INPUT`: malformed metadata, manifests, updates or identifiers.
 */
export type CatalogueErrorCode =
  | "NO_SUCH_NAMESPACE"
  | "NO_SUCH_TABLE"
  | "ALREADY_EXISTS"
  | "NAMESPACE_NOT_EMPTY"
  | "COMMIT_CONFLICT"
  | "COMMIT_STATE_UNKNOWN"
  | "CATALOGUE_UNAVAILABLE"
  | "INVALID_INPUT";

/** An error from a catalogue or from reading or writing Iceberg metadata; see {@link CatalogueErrorCode}. */
export class CatalogueError extends LakeSyncError {
  override readonly code: CatalogueErrorCode;

  constructor(code: CatalogueErrorCode, message: string, options: LakeSyncErrorOptions = {}) {
    super(code, message, options);
    this.name = "CatalogueError";
    this.code = code;
  }
}

const CODES: ReadonlySet<string> = new Set<CatalogueErrorCode>([
  "NO_SUCH_NAMESPACE",
  "NO_SUCH_TABLE",
  "ALREADY_EXISTS",
  "NAMESPACE_NOT_EMPTY",
  "COMMIT_CONFLICT",
  "COMMIT_STATE_UNKNOWN",
  "CATALOGUE_UNAVAILABLE",
  "INVALID_INPUT",
]);

/**
 * True when `value` is a LakeSync error carrying one of the catalogue codes (and `code`, when
 * given). Works across realms, where `instanceof` fails.
 */
export function isCatalogueError(
  value: unknown,
  code?: CatalogueErrorCode,
): value is LakeSyncError & { readonly code: CatalogueErrorCode } {
  if (!isLakeSyncError(value) || !CODES.has(value.code)) return false;
  return code === undefined || value.code === code;
}
