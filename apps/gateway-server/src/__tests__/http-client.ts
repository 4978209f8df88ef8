import { HLC_ZERO, type HLCTimestamp, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import {
  decodeSyncResponse,
  encodeSyncPush,
  PROTO_CONTENT_TYPE,
  type SyncResponse,
} from "@lakesync/proto";

/** A bare protobuf-over-HTTP client for tests (core + proto only). */
export class TestClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly gatewayId = "todos",
  ) {}

  static async forUser(url: string, sub: string, admin = false): Promise<TestClient> {
    const response = await fetch(`${url}/dev/token?sub=${sub}&admin=${admin ? 1 : 0}`);
    const { token } = (await response.json()) as { token: string };
    return new TestClient(url, token);
  }

  async push(clientId: string, deltas: readonly RowDelta[]): Promise<Response> {
    return fetch(`${this.url}/sync/${this.gatewayId}/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": PROTO_CONTENT_TYPE },
      body: unwrapOrThrow(
        encodeSyncPush({ clientId, deltas, lastSeenHlc: HLC_ZERO }),
      ) as Uint8Array<ArrayBuffer>,
    });
  }

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

  async admin(path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}
