/**
 * @module transport/http-transport
 * Talking to a gateway over HTTP with protobuf bodies, and over a WebSocket for notifications.
 */
import { Err, type LakeSyncError, Ok, parseHLC, type Result } from "@lakesync/core";
import {
  type CheckpointChunk,
  decodeCheckpointChunk,
  decodeSyncNotification,
  encodeSyncPush,
  PROTO_CONTENT_TYPE,
  type SyncNotification,
} from "@lakesync/proto";
import { readFrames } from "./checkpoint-frames.js";
import { decodeReply, httpError } from "./http-replies.js";
import {
  type CheckpointSummary,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  parseServerSchemas,
  type ServerSchemas,
  type SubscribeOptions,
  type SyncTransport,
  TransportError,
} from "./sync-transport.js";

/** Checkpoints can be large: they get more time than other requests. */
const CHECKPOINT_TIMEOUT_MS = 300_000;

/** Supplies the bearer token; `refresh` is true after the gateway answered 401. */
export type TokenProvider = (refresh: boolean) => string | Promise<string>;

/** Options for {@link HttpTransport}. */
export interface HttpTransportOptions {
  /** The gateway's origin and base path, e.g. `https://sync.example.com`. */
  readonly baseUrl: string;
  readonly gatewayId: string;
  readonly token: TokenProvider;
  /** Per-request timeout (ms). Defaults to 15000. */
  readonly timeoutMs?: number;
  /** The fetch implementation; defaults to the global one. */
  readonly fetch?: typeof fetch;
  /** The WebSocket constructor for realtime; defaults to the global one, if any. */
  readonly WebSocket?: typeof WebSocket;
}

/**
 * A {@link SyncTransport} over HTTP: `POST /sync/:gatewayId/push` and
 * `GET /sync/:gatewayId/pull?since=&max=&client=` with `application/x-protobuf` bodies, JWT
 * bearer auth (the token provider is asked again, once, after a 401), timeouts, and
 * `subscribe()` over `GET /sync/:gatewayId/ws?client=` (each message a `SyncNotification`,
 * carrying this client's deltas), reconnecting after drops. Network failures are
 * `TransportError`s without a status (the coordinator reports `offline`); HTTP errors carry
 * the status and the gateway's error code; a body that is not a valid message is `BAD_RESPONSE`.
 */
export class HttpTransport implements SyncTransport {
  readonly #o: HttpTransportOptions;
  readonly #base: string;

  constructor(options: HttpTransportOptions) {
    this.#o = options;
    this.#base = `${options.baseUrl.replace(/\/+$/, "")}/sync/${encodeURIComponent(options.gatewayId)}`;
  }

  async push(request: PushRequest): Promise<Result<PushResponse, LakeSyncError>> {
    const body = encodeSyncPush(request);
    if (!body.ok) return body;
    const response = await this.#call(`${this.#base}/push`, { method: "POST", body: body.value });
    if (!response.ok) return response;
    const reply = decodeReply(response.value.bytes);
    if (!reply.ok) return reply;
    const { serverHlc, refused, deltas, evicted } = reply.value;
    if (!refused || refused.length === 0) return Ok({ serverHlc });
    return Ok({ serverHlc, refused, restore: { deltas, evicted: evicted ?? [] } });
  }

  async pull(request: PullRequest): Promise<Result<PullResponse, LakeSyncError>> {
    const query = new URLSearchParams({
      since: request.sinceHlc.toString(),
      max: String(request.maxDeltas),
      client: request.clientId,
    });
    const response = await this.#call(`${this.#base}/pull?${query}`, { method: "GET" });
    if (!response.ok) return response;
    const reply = decodeReply(response.value.bytes);
    if (!reply.ok) return reply;
    const { deltas, serverHlc, hasMore, evicted } = reply.value;
    return Ok({ deltas, serverHlc, hasMore, ...(evicted ? { evicted } : {}) });
  }

  subscribe(
    onChange: (notification?: SyncNotification) => void,
    options: SubscribeOptions = {},
  ): () => void {
    const Socket = this.#o.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
    if (!Socket) return () => {};
    let closed = false;
    let socket: WebSocket | undefined;
    let attempt = 0;
    const connect = async () => {
      if (closed) return;
      let token: string;
      try {
        token = await this.#o.token(false);
      } catch {
        return;
      }
      const query = new URLSearchParams({ token });
      if (options.clientId !== undefined) query.set("client", options.clientId);
      socket = new Socket(`${this.#base.replace(/^http/, "ws")}/ws?${query}`);
      socket.binaryType = "arraybuffer";
      socket.onopen = () => {
        attempt = 0;
        options.onConnection?.(true);
        // Whatever happened while disconnected is pulled.
        onChange();
      };
      socket.onmessage = (event: MessageEvent) => {
        const data: unknown = event.data;
        const notification =
          data instanceof ArrayBuffer ? decodeSyncNotification(new Uint8Array(data)) : undefined;
        // Anything unreadable still means "something changed".
        onChange(notification?.ok ? notification.value : undefined);
      };
      socket.onclose = () => {
        options.onConnection?.(false);
        if (closed) return;
        attempt++;
        setTimeout(() => void connect(), Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)));
      };
    };
    void connect();
    return () => {
      closed = true;
      socket?.close();
    };
  }

  async checkpoint(
    onChunk: (
      chunk: CheckpointChunk,
    ) => Promise<Result<void, LakeSyncError>> | Result<void, LakeSyncError>,
  ): Promise<Result<CheckpointSummary, LakeSyncError>> {
    // Streamed: each chunk is applied as soon as its frame is in, while the rest downloads.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), CHECKPOINT_TIMEOUT_MS);
    try {
      const response = await this.#call(
        `${this.#base}/checkpoint`,
        { method: "GET" },
        {
          signal: controller.signal,
        },
      );
      if (!response.ok) return response;
      const header = response.value.headers.get("x-lakesync-snapshot-hlc") ?? "";
      const snapshot = parseHLC(header);
      const body = response.value.body;
      if (!snapshot.ok || !body)
        return Err(
          new TransportError(
            `the checkpoint has no valid snapshot HLC header (${JSON.stringify(header)})`,
            { code: "BAD_RESPONSE" },
          ),
        );
      let count = 0;
      for await (const frame of readFrames(body)) {
        if (!frame.ok) return frame;
        const chunk = decodeCheckpointChunk(frame.value);
        if (!chunk.ok)
          return Err(
            new TransportError("a checkpoint chunk is not a valid message", {
              cause: chunk.error,
              code: "BAD_RESPONSE",
            }),
          );
        const applied = await onChunk(chunk.value);
        if (!applied.ok) return applied;
        count++;
      }
      return Ok({ snapshotHlc: snapshot.value, chunks: count });
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  async schema(): Promise<Result<ServerSchemas, LakeSyncError>> {
    const response = await this.#call(`${this.#base}/schema`, { method: "GET" });
    if (!response.ok) return response;
    return parseServerSchemas(response.value.bytes);
  }

  async #call(
    url: string,
    init: { method: string; body?: Uint8Array },
    stream?: { readonly signal: AbortSignal },
  ) {
    const first = await this.#send(url, init, false, stream);
    if (!first.ok && first.error.status === 401) return this.#send(url, init, true, stream);
    return first;
  }

  async #send(
    url: string,
    init: { method: string; body?: Uint8Array },
    refresh: boolean,
    stream?: { readonly signal: AbortSignal },
  ): Promise<
    Result<
      { bytes: Uint8Array; headers: Headers; body: ReadableStream<Uint8Array> | null },
      TransportError
    >
  > {
    const doFetch = this.#o.fetch ?? globalThis.fetch;
    let token: string;
    try {
      token = await this.#o.token(refresh);
    } catch (cause) {
      return Err(
        new TransportError(
          `the token provider failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          {
            cause,
            retryable: true,
            code: "TOKEN_UNAVAILABLE",
            status: 401,
          },
        ),
      );
    }
    // A streamed call's caller times the whole download; other calls are timed here.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#o.timeoutMs ?? 15_000);
    if (stream) {
      clearTimeout(timer);
      stream.signal.addEventListener("abort", () => controller.abort());
    }
    const attempt = async (): Promise<{ response: Response; bytes: Uint8Array }> => {
      const response = await doFetch(url, {
        method: init.method,
        ...(init.body ? { body: init.body as Uint8Array<ArrayBuffer> } : {}),
        headers: {
          authorization: `Bearer ${token}`,
          accept: PROTO_CONTENT_TYPE,
          ...(init.body ? { "content-type": PROTO_CONTENT_TYPE } : {}),
        },
        signal: controller.signal,
      });
      // A successful streamed answer is read by the caller as it arrives.
      if (stream && response.ok) return { response, bytes: new Uint8Array(0) };
      return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
    };
    let answer: { response: Response; bytes: Uint8Array };
    try {
      try {
        answer = await attempt();
      } catch (cause) {
        // A connection that died under a request (a gateway restarted, a proxy dropped an idle
        // socket) gets one immediate second try on a fresh one: every request is idempotent
        // (a re-pushed delta is applied once). A timeout does not.
        if (controller.signal.aborted) throw cause;
        answer = await attempt();
      }
    } catch (cause) {
      const timedOut = controller.signal.aborted;
      return Err(
        new TransportError(timedOut ? `request timed out: ${url}` : `network error: ${url}`, {
          cause,
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    const { response, bytes } = answer;
    if (!response.ok) return Err(httpError(response.status, bytes));
    return Ok({ bytes, headers: response.headers, body: stream ? response.body : null });
  }
}
