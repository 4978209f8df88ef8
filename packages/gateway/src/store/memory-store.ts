/**
 * @module store/memory-store
 * A gateway store that lives in memory: for tests and ephemeral gateways.
 */
import {
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
} from "@lakesync/core";
import type { LogEntry } from "../log/log-entry.js";
import type { GatewayStore, LogRewrite, StoredGatewayState } from "./gateway-store.js";

/**
 * Keeps everything in memory. Two gateways built over the same instance one after the other
 * behave like a restart over durable storage, which is how tests use it.
 */
export class MemoryGatewayStore implements GatewayStore {
  #entries: LogEntry[] = [];
  #flushedThrough: HLCTimestamp = HLC_ZERO;
  readonly #meta = new Map<string, string>();
  #rows: readonly RowDelta[] | undefined;
  #horizon: HLCTimestamp | undefined;
  /** How many times the store was rewritten (for tests). */
  rewrites = 0;

  async load(): Promise<Result<StoredGatewayState, LakeSyncError>> {
    return Ok({
      entries: this.#entries.slice(),
      flushedThrough: this.#flushedThrough,
      meta: new Map(this.#meta),
      ...(this.#rows ? { rows: this.#rows } : {}),
      ...(this.#horizon === undefined ? {} : { horizon: this.#horizon }),
    });
  }

  async append(entries: readonly LogEntry[]): Promise<Result<void, LakeSyncError>> {
    for (const entry of entries) this.#entries.push(entry);
    return Ok(undefined);
  }

  async markFlushed(through: HLCTimestamp): Promise<Result<void, LakeSyncError>> {
    if (through > this.#flushedThrough) this.#flushedThrough = through;
    return Ok(undefined);
  }

  async putMeta(key: string, value: string): Promise<Result<void, LakeSyncError>> {
    this.#meta.set(key, value);
    return Ok(undefined);
  }

  async rewrite(snapshot: LogRewrite): Promise<Result<void, LakeSyncError>> {
    this.#rows = snapshot.rows;
    this.#entries = [...snapshot.entries];
    this.#horizon = snapshot.horizon;
    this.#flushedThrough = snapshot.flushedThrough;
    this.#meta.clear();
    for (const [k, v] of snapshot.meta) this.#meta.set(k, v);
    this.rewrites++;
    return Ok(undefined);
  }

  async close(): Promise<void> {}
}
