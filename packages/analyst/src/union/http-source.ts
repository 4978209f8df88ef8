/**
 * @module union/http-source
 * The unflushed deltas of a remote gateway, over its HTTP API with an admin token: the raw log
 * (`GET /admin/log/:id?since=&max=`, a protobuf `SyncResponse`), which sync rules do not filter,
 * so a union read sees every delta.
 */
import { Err, type HLCTimestamp, LakeSyncError, Ok, type Result } from "@lakesync/core";
import { decodeSyncResponse } from "@lakesync/proto";
import { AnalystError, messageOf } from "../errors.js";
import type { PendingDeltaSource } from "./pull-page.js";

/** Options of {@link httpSource}. */
export interface HttpSourceOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly gatewayId: string;
  /** A JWT with the admin claim. */
  readonly token: string;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** A {@link PendingDeltaSource} over a gateway's HTTP API (see the module comment). */
export function httpSource(options: HttpSourceOptions): PendingDeltaSource {
  const base = options.url.replace(/\/+$/, "");
  const id = encodeURIComponent(options.gatewayId);
  const get = async (path: string): Promise<Result<Response, LakeSyncError>> => {
    const doFetch = options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
    } catch (cause) {
      return Err(
        new AnalystError("GATEWAY_UNAVAILABLE", `cannot reach ${base}: ${messageOf(cause)}`, {
          cause,
        }),
      );
    }
    if (response.ok) return Ok(response);
    const body = await response.text().catch(() => "");
    // The log no longer holds the cursor: the caller starts again from a newer lake snapshot.
    if (body.includes('"CURSOR_EXPIRED"'))
      return Err(new LakeSyncError("CURSOR_EXPIRED", `GET ${path}: ${body.slice(0, 300)}`));
    return Err(
      new AnalystError(
        "GATEWAY_UNAVAILABLE",
        `GET ${path} answered ${response.status}: ${body.slice(0, 300)}`,
      ),
    );
  };
  return {
    gatewayId: options.gatewayId,
    rawLog: true,
    checkComplete: async () => Ok(undefined),
    async pull(since: HLCTimestamp, max: number) {
      const answer = await get(`/admin/log/${id}?since=${since}&max=${max}`);
      if (!answer.ok) return answer;
      try {
        const page = decodeSyncResponse(new Uint8Array(await answer.value.arrayBuffer()));
        if (!page.ok)
          return Err(
            new AnalystError(
              "GATEWAY_UNAVAILABLE",
              `the log answer is not a SyncResponse: ${page.error.message}`,
              {
                cause: page.error,
              },
            ),
          );
        return Ok({
          deltas: page.value.deltas,
          serverHlc: page.value.serverHlc,
          hasMore: page.value.hasMore,
        });
      } catch (cause) {
        return Err(
          new AnalystError(
            "GATEWAY_UNAVAILABLE",
            `cannot read the pull answer: ${messageOf(cause)}`,
            {
              cause,
            },
          ),
        );
      }
    },
  };
}
