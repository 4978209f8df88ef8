/**
 * @module bench/support/capped-child
 * Running a benchmark's own file again as a child process whose V8 heap is capped at the
 * compaction budget (old generation at the budget, young at 3 x 16 MiB), so the memory it
 * measures is the work's own and a run past the budget fails instead of swapping.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { DEFAULT_MEMORY_BUDGET_BYTES } from "@lakesync/compactor";

/** Runs `file` with `args` in a capped child; its stdout is the result, its stderr inherited. */
export function runCappedChild(file: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${DEFAULT_MEMORY_BUDGET_BYTES / 2 ** 20}`,
      "--max-semi-space-size=16",
      "--conditions=@lakesync/source",
      "--import",
      "tsx",
      file,
      ...args,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 },
  );
}
