/**
 * An in-memory gateway for coordinator tests: deduplicates by deltaId, serves pulls by a
 * server-side sequence cursor, and fails on demand the ways real networks and servers do.
 */
import {
  Err,
  encodeHLC,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import {
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type SyncTransport,
  TransportError,
} from "../../transport/sync-transport.js";

/** How the next call fails. */
export type Failure = "network" | "http500" | "garbage" | "lostAck";

export class FakeGateway {
  readonly log: { seq: HLCTimestamp; delta: RowDelta }[] = [];
  readonly seen = new Set<string>();
  readonly failures: Failure[] = [];
  receivedPushes = 0;
  #listeners = new Set<() => void>();

  #stamp(n: number): HLCTimestamp {
    return (unwrapOrThrow(encodeHLC(1_700_000_000_000, 0)) + BigInt(n)) as HLCTimestamp;
  }

  #fail(): Err<LakeSyncError> | undefined {
    const failure = this.failures[0];
    if (!failure || failure === "lostAck") return undefined;
    this.failures.shift();
    if (failure === "network") return Err(new TransportError("fetch failed"));
    if (failure === "http500") return Err(new TransportError("HTTP 500", { status: 500 }));
    return Err(
      new TransportError("response is not a valid protobuf message", {
        status: 200,
        code: "BAD_RESPONSE",
      }),
    );
  }

  transport(): SyncTransport {
    return {
      push: async (request: PushRequest): Promise<Result<PushResponse, LakeSyncError>> => {
        const failed = this.#fail();
        if (failed) return failed;
        this.receivedPushes++;
        for (const delta of request.deltas) {
          if (this.seen.has(delta.deltaId)) continue;
          this.seen.add(delta.deltaId);
          this.log.push({ seq: this.#stamp(this.log.length + 1), delta });
        }
        for (const listener of this.#listeners) listener();
        if (this.failures[0] === "lostAck") {
          this.failures.shift();
          return Err(new TransportError("connection reset after the request was sent"));
        }
        return Ok({ serverHlc: this.#stamp(this.log.length) });
      },
      pull: async (request: PullRequest): Promise<Result<PullResponse, LakeSyncError>> => {
        const failed = this.#fail();
        if (failed) return failed;
        const after = this.log.filter((e) => e.seq > request.sinceHlc);
        const page = after.slice(0, request.maxDeltas);
        const last = page[page.length - 1];
        return Ok({
          deltas: page.map((e) => e.delta),
          serverHlc: last
            ? last.seq
            : request.sinceHlc > this.#stamp(0)
              ? request.sinceHlc
              : this.#stamp(this.log.length),
          hasMore: after.length > page.length,
        });
      },
      subscribe: (onChange) => {
        this.#listeners.add(onChange);
        return () => this.#listeners.delete(onChange);
      },
    };
  }
}
