import { deltaId, encodeHLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { decodeSyncPush, encodeSyncResponse, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import { describe, expect, it } from "vitest";
import { HttpTransport } from "../http-transport.js";

const hlc = unwrapOrThrow(encodeHLC(1_700_000_000_000, 1));
const base = {
  table: "todos",
  rowId: "t1",
  clientId: "phone",
  hlc,
  columns: [{ column: "title", value: "Milk" }],
};
const delta: RowDelta = { ...base, op: "INSERT", deltaId: deltaId(base) };
const ok = (deltas: RowDelta[] = [], hasMore = false) =>
  new Response(
    unwrapOrThrow(
      encodeSyncResponse({ deltas, serverHlc: hlc, hasMore }),
    ) as Uint8Array<ArrayBuffer>,
    {
      status: 200,
      headers: { "content-type": PROTO_CONTENT_TYPE },
    },
  );

interface Seen {
  url: string;
  method: string;
  auth: string | null;
  body: Uint8Array | undefined;
}

function transport(
  reply: (seen: Seen, n: number) => Response | Promise<Response>,
  tokens: string[] = ["t1", "t2"],
) {
  const seen: Seen[] = [];
  const asked: boolean[] = [];
  const fake: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const body = init?.body instanceof Uint8Array ? init.body : undefined;
    const entry = {
      url: String(input),
      method: init?.method ?? "GET",
      auth: headers.get("authorization"),
      body,
    };
    seen.push(entry);
    return reply(entry, seen.length);
  };
  const http = new HttpTransport({
    baseUrl: "http://gw.test/",
    gatewayId: "main",
    fetch: fake,
    timeoutMs: 200,
    token: (refresh) => {
      asked.push(refresh);
      return tokens[asked.length - 1] ?? "t-last";
    },
  });
  return { http, seen, asked };
}

describe("HttpTransport", () => {
  it("pushes a protobuf SyncPush with the bearer token and reads the acknowledgement", async () => {
    const { http, seen } = transport(() => ok());
    const result = unwrapOrThrow(
      await http.push({ clientId: "phone", deltas: [delta], lastSeenHlc: HLC_ZERO }),
    );
    expect(result.serverHlc).toBe(hlc);
    expect(seen[0]?.url).toBe("http://gw.test/sync/main/push");
    expect(seen[0]?.auth).toBe("Bearer t1");
    expect(unwrapOrThrow(decodeSyncPush(seen[0]?.body ?? new Uint8Array())).deltas).toEqual([
      delta,
    ]);
  });

  it("pulls with the cursor in the query string and returns the page", async () => {
    const { http, seen } = transport(() => ok([delta], true));
    const page = unwrapOrThrow(
      await http.pull({ clientId: "phone", sinceHlc: hlc, maxDeltas: 50 }),
    );
    expect(page).toEqual({ deltas: [delta], serverHlc: hlc, hasMore: true });
    expect(seen[0]?.url).toBe(`http://gw.test/sync/main/pull?since=${hlc}&max=50&client=phone`);
  });

  it("asks the token provider again after a 401 and retries once", async () => {
    const { http, seen, asked } = transport((s) =>
      s.auth === "Bearer t1"
        ? new Response('{"code":"UNAUTHORISED","message":"token has expired"}', { status: 401 })
        : ok(),
    );
    unwrapOrThrow(await http.push({ clientId: "phone", deltas: [delta], lastSeenHlc: HLC_ZERO }));
    expect(asked).toEqual([false, true]);
    expect(seen.map((s) => s.auth)).toEqual(["Bearer t1", "Bearer t2"]);
  });

  it("an HTTP error carries the status and the gateway's code and message", async () => {
    const { http } = transport(
      () =>
        new Response('{"code":"CLOCK_DRIFT","message":"remote clock is 9000 ms ahead"}', {
          status: 409,
        }),
    );
    const result = await http.push({ clientId: "phone", deltas: [delta], lastSeenHlc: HLC_ZERO });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: "CLOCK_DRIFT",
        status: 409,
        retryable: false,
        message: "HTTP 409: remote clock is 9000 ms ahead",
      });
  });

  it("a garbage reply is BAD_RESPONSE, not a crash", async () => {
    const { http } = transport(
      () => new Response(new Uint8Array([0xff, 0xff, 0xff, 0x07]), { status: 200 }),
    );
    const result = await http.pull({ clientId: "phone", sinceHlc: HLC_ZERO, maxDeltas: 1 });
    expect(!result.ok && result.error.code).toBe("BAD_RESPONSE");
  });

  it("a network failure is a TransportError without a status", async () => {
    const { http } = transport(() => {
      throw new TypeError("fetch failed");
    });
    const result = await http.pull({ clientId: "phone", sinceHlc: HLC_ZERO, maxDeltas: 1 });
    expect(!result.ok && result.error).toMatchObject({
      code: "TRANSPORT_ERROR",
      status: undefined,
    });
  });

  it("a connection that dies under a request gets one immediate second try, not more", async () => {
    const once = transport((_seen, n) => {
      if (n === 1) throw new TypeError("fetch failed: other side closed");
      return ok([delta]);
    });
    const page = unwrapOrThrow(
      await once.http.pull({ clientId: "phone", sinceHlc: HLC_ZERO, maxDeltas: 1 }),
    );
    expect(page.deltas).toEqual([delta]);
    expect(once.seen).toHaveLength(2);
    const always = transport(() => {
      throw new TypeError("fetch failed: connection refused");
    });
    const failed = await always.http.push({
      clientId: "phone",
      deltas: [delta],
      lastSeenHlc: HLC_ZERO,
    });
    expect(!failed.ok && failed.error.message).toContain("network error");
    expect(always.seen).toHaveLength(2);
  });

  it("a request that never answers times out as a network-level failure", async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () =>
          reject(new DOMException("aborted", "AbortError")),
        );
      });
    const http = new HttpTransport({
      baseUrl: "http://gw.test",
      gatewayId: "main",
      fetch: hanging,
      timeoutMs: 20,
      token: () => "t",
    });
    const result = await http.pull({ clientId: "phone", sinceHlc: HLC_ZERO, maxDeltas: 1 });
    expect(!result.ok && result.error.message).toContain("request timed out");
  });

  it("tells the subscriber when its socket goes live (before the pull it asks for) and when it drops", async () => {
    const sockets: FakeSocket[] = [];
    class FakeSocket {
      binaryType = "blob";
      onopen: (() => void) | null = null;
      onmessage: ((event: MessageEvent) => void) | null = null;
      onclose: (() => void) | null = null;
      constructor(readonly url: string) {
        sockets.push(this);
      }
      close() {
        this.onclose?.();
      }
    }
    const http = new HttpTransport({
      baseUrl: "http://gw.test",
      gatewayId: "main",
      token: () => "t",
      WebSocket: FakeSocket as unknown as typeof WebSocket,
    });
    const heard: string[] = [];
    const stop = http.subscribe((n) => heard.push(n ? "message" : "changed?"), {
      clientId: "phone",
      onConnection: (live) => heard.push(live ? "live" : "down"),
    });
    await expect.poll(() => sockets.length).toBe(1);
    expect(sockets[0]?.url).toBe("ws://gw.test/sync/main/ws?token=t&client=phone");
    sockets[0]?.onopen?.();
    expect(heard).toEqual(["live", "changed?"]);
    stop();
    expect(heard).toEqual(["live", "changed?", "down"]);
  });
});
