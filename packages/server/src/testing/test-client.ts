/**
 * @module testing/test-client
 * A bare protobuf-over-HTTP client for tests (core and proto only): what a browser client sends,
 * without the client package.
 */
import { HLC_ZERO, type HLCTimestamp, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import {
  decodeSyncResponse,
  encodeSyncPush,
  PROTO_CONTENT_TYPE,
  type SyncResponse,
} from "@lakesync/proto";

/**
 * A bare protobuf-over-HTTP client for tests (core + proto only). Throws when a request fails
 * (it is test code); `push` and `admin` return the response for the test to inspect.
 */
export class TestClient {
  /** A client of gateway `gatewayId` at `url` with the bearer `token`. */
  constructor(
    readonly url: string,
    readonly token: string,
    readonly gatewayId = "todos",
  ) {}

  /** A client with a development token for `sub` (the server must be in development mode). */
  static async forUser(url: string, sub: string, admin = false): Promise<TestClient> {
    const response = await fetch(`${url}/dev/token?sub=${sub}&admin=${admin ? 1 : 0}`);
    const { token } = (await response.json()) as { token: string };
    return new TestClient(url, token);
  }

  /** Pushes `deltas` as `clientId`. */
  async push(clientId: string, deltas: readonly RowDelta[]): Promise<Response> {
    return fetch(`${this.url}/sync/${this.gatewayId}/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": PROTO_CONTENT_TYPE },
      body: unwrapOrThrow(
        encodeSyncPush({ clientId, deltas, lastSeenHlc: HLC_ZERO }),
      ) as Uint8Array<ArrayBuffer>,
    });
  }

  /** Pulls every page after `since`; returns the deltas and the last cursor. */
  async pullAll(
    since: HLCTimestamp = HLC_ZERO,
  ): Promise<{ deltas: RowDelta[]; cursor: HLCTimestamp }> {
    const deltas: RowDelta[] = [];
    let cursor = since;
    for (;;) {
      const response = await fetch(
        `${this.url}/sync/${this.gatewayId}/pull?since=${cursor}&max=500&client=t`,
        {
          headers: { authorization: `Bearer ${this.token}` },
        },
      );
      if (response.status !== 200)
        throw new Error(`pull failed: ${response.status} ${await response.text()}`);
      const page: SyncResponse = unwrapOrThrow(
        decodeSyncResponse(new Uint8Array(await response.arrayBuffer())),
      );
      deltas.push(...page.deltas);
      cursor = page.serverHlc;
      if (!page.hasMore) return { deltas, cursor };
    }
  }

  /** POSTs `body` (JSON) to an admin `path` such as `/admin/flush/todos`. */
  async admin(path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}
