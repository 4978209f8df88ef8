/**
 * @module time-travel/as-of
 * The moments a reader can ask for, parsed from text (the command line's `--as-of`): an HLC, a
 * snapshot id, or a time. Snapshot ids are below 2^53 (JSON numbers); HLCs of any real moment
 * are far above it (a 48-bit wall clock shifted by 16 bits), so a bare integer is told apart by
 * size; `hlc:` and `snapshot:` prefixes say it explicitly.
 */
import { Err, type HLCTimestamp, Ok, parseHLC, type Result } from "@lakesync/core";
import { AnalystError } from "../errors.js";

/** A moment to read the lake at. */
export type AsOf =
  | { readonly kind: "hlc"; readonly hlc: HLCTimestamp }
  | { readonly kind: "snapshot"; readonly snapshotId: number }
  | { readonly kind: "time"; readonly timestampMs: number };

const LARGEST_SNAPSHOT_ID = 2n ** 53n;

/**
 * Parses `text` as an {@link AsOf}: `hlc:<decimal>`, `snapshot:<id>`, a bare integer (an HLC
 * when at least 2^53, else a snapshot id), or an ISO-8601 time (`2026-12-01`,
 * `2026-12-01T10:00:00Z`). `Err(AnalystError)` (`INVALID_INPUT`) for anything else.
 */
export function parseAsOf(text: string): Result<AsOf, AnalystError> {
  const value = text.trim();
  const invalid = (why: string) =>
    Err(new AnalystError("INVALID_INPUT", `--as-of ${JSON.stringify(text)}: ${why}`));
  const hlcOf = (digits: string): Result<AsOf, AnalystError> => {
    const hlc = parseHLC(digits);
    return hlc.ok ? Ok({ kind: "hlc", hlc: hlc.value }) : invalid(hlc.error.message);
  };
  if (value.startsWith("hlc:")) return hlcOf(value.slice(4));
  if (value.startsWith("snapshot:")) {
    const id = value.slice(9);
    return /^\d{1,16}$/.test(id) && Number.isSafeInteger(Number(id))
      ? Ok({ kind: "snapshot", snapshotId: Number(id) })
      : invalid("a snapshot id is a non-negative integer below 2^53");
  }
  if (/^\d+$/.test(value))
    return BigInt(value) >= LARGEST_SNAPSHOT_ID
      ? hlcOf(value)
      : Ok({ kind: "snapshot", snapshotId: Number(value) });
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return Ok({ kind: "time", timestampMs: ms });
  }
  return invalid("expected an HLC, a snapshot id or an ISO-8601 time");
}
