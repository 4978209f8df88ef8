/**
 * @module gateway/gateway-flusher
 * The flusher a gateway runs, wired to its parts: batches from its buffer, schemas from its
 * registry, row states from its store; after each flush the log is trimmed and, when enough of
 * it was trimmed, rewritten.
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { FlushThresholds } from "../buffer/flush-buffer.js";
import type { FlushTarget } from "../flush/flush-target.js";
import { Flusher } from "../flush/flusher.js";
import type { SyncGatewayOptions } from "./options.js";
import type { GatewayParts } from "./restore-parts.js";

/** How the gateway's flusher writes and when. */
export interface GatewayFlushSettings {
  readonly target: FlushTarget | undefined;
  readonly thresholds: FlushThresholds | undefined;
  readonly now: () => number;
  /** Every entry up to here was flushed before the gateway opened. */
  readonly flushedThrough: HLCTimestamp;
}

/** The flusher of a gateway opened with `options` over `parts`; `rewriteLog` rewrites its log. */
export function gatewayFlusher(
  options: SyncGatewayOptions,
  parts: GatewayParts,
  settings: GatewayFlushSettings,
  rewriteLog: () => Promise<unknown>,
): Flusher {
  const { store, rows, buffer, registry, retention } = parts;
  return new Flusher({
    gatewayId: options.gatewayId,
    target: settings.target,
    buffer,
    store,
    now: settings.now,
    thresholds: settings.thresholds,
    retry: { baseMs: options.retry?.baseMs ?? 1_000, maxMs: options.retry?.maxMs ?? 60_000 },
    flushedThrough: settings.flushedThrough,
    schemaOf: (table) => registry.schemaOf(table),
    rowState: (table, rowId) => rows.get(table, rowId),
    flushed: async (through) => {
      retention.trim(through);
      if (retention.rewriteDue) await rewriteLog();
    },
    ...(options.onFlushError ? { failed: options.onFlushError } : {}),
  });
}
