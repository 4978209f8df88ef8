/**
 * @module rest/rest-pagination
 * Following a REST listing's pages: the first request carries an empty `pageToken` (and the
 * page size) when the session pages, every later one the previous `next-page-token`, until a
 * page has none. A server that repeats a token is reported rather than followed forever.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import type { RestOperation } from "./client-errors.js";
import type { RestHttpClient } from "./http-client.js";
import type { CatalogueSession } from "./rest-config.js";
import { decodeBody } from "./rest-responses.js";

/** One page as read from a response body. */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | undefined;
}

/**
 * Every item of a listing at `url` (with `query`), page after page. Returns the first failed
 * request's error, or `CATALOGUE_UNAVAILABLE` for a malformed page or a repeated token.
 */
export async function collectPages<T>(
  http: RestHttpClient,
  session: CatalogueSession,
  operation: RestOperation,
  url: string,
  query: URLSearchParams,
  read: (body: unknown) => Page<T>,
): Promise<Result<T[], LakeSyncError>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined = session.pageSize === undefined ? undefined : "";
  for (;;) {
    const pageQuery = new URLSearchParams(query);
    if (token !== undefined) {
      pageQuery.set("pageToken", token);
      if (session.pageSize !== undefined) pageQuery.set("pageSize", String(session.pageSize));
    }
    const text = pageQuery.toString();
    const pageUrl = text === "" ? url : `${url}?${text}`;
    const reply = await http.send(operation, "GET", pageUrl);
    if (!reply.ok) return reply;
    const label = { operation, method: "GET", url: pageUrl } as const;
    const page = decodeBody(label, () => read(reply.value.body));
    if (!page.ok) return page;
    items.push(...page.value.items);
    const next = page.value.next;
    if (next === undefined || next === "") return Ok(items);
    if (seen.has(next))
      return Err(
        new CatalogueError(
          "CATALOGUE_UNAVAILABLE",
          `${operation} (GET ${new URL(url).pathname}): the server repeated next-page-token ${JSON.stringify(next)}`,
        ),
      );
    seen.add(next);
    token = next;
  }
}
