/**
 * @module rest/server-pagination
 * Pagination of the server's listings, as the spec's `PageToken` describes it: without a
 * `pageToken` parameter everything comes in one response (`next-page-token: null`); with one
 * (empty for the first page) at most `pageSize` items come, sorted, and `next-page-token` is the
 * key of the last one, so a listing stays correct while items are added or removed between pages.
 */
import { Err, Ok, type Result } from "@lakesync/core";

/** A page request: after which key, and how many. */
export interface PageRequest {
  readonly after: string;
  readonly size: number;
}

/**
 * Reads `pageToken` and `pageSize` from the query. `undefined` when `pageToken` is absent (no
 * pagination); `Err` with a message for a `pageSize` that is not a positive integer.
 */
export function readPageRequest(
  query: (name: string) => string | undefined,
  defaultSize: number,
): Result<PageRequest | undefined, string> {
  const token = query("pageToken");
  const sizeText = query("pageSize");
  let size = defaultSize;
  if (sizeText !== undefined) {
    size = Number(sizeText);
    if (!/^\d{1,9}$/.test(sizeText) || size < 1)
      return Err(`pageSize must be a positive integer, not ${JSON.stringify(sizeText)}`);
  }
  return Ok(token === undefined ? undefined : { after: token, size });
}

/** One page of `items` ordered by `key`, and the token of the next page (`null` after the last). */
export function pageOf<T>(
  items: readonly T[],
  key: (item: T) => string,
  request: PageRequest | undefined,
): { items: T[]; next: string | null } {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (request === undefined) return { items: sorted, next: null };
  const rest = request.after === "" ? sorted : sorted.filter((item) => key(item) > request.after);
  const page = rest.slice(0, request.size);
  const last = page[page.length - 1];
  return { items: page, next: rest.length > page.length && last !== undefined ? key(last) : null };
}
