/**
 * @module bench/support/client-seed
 * Filling a benchmark's local database with todos written through the merge path (the client
 * bench's persistence rows and the Chromium persistence bench seed the same rows).
 */
import { applyDeltas, type LocalDB } from "@lakesync/client";
import { deltaId, HLC, type RowDelta, unwrapOrThrow } from "@lakesync/core";

/** Writes `count` todos into `db` (its todo schema registered), in pages of 10k deltas. */
export function seedTodos(db: LocalDB, count: number): void {
  const clock = new HLC();
  for (let i = 0; i < count; i += 10_000) {
    const page: RowDelta[] = [];
    for (let j = i; j < Math.min(count, i + 10_000); j++) {
      const hlc = clock.now();
      const rowId = `00000000-0000-4000-8000-${j.toString(16).padStart(12, "0")}`;
      const columns = [
        { column: "title", value: `row ${j}` },
        { column: "completed", value: j % 2 === 0 },
        { column: "owner", value: "alice" },
      ];
      const id = deltaId({ clientId: "seed", hlc, table: "todos", rowId, columns });
      page.push({
        op: "INSERT",
        table: "todos",
        rowId,
        clientId: "seed",
        columns,
        hlc,
        deltaId: id,
      });
    }
    unwrapOrThrow(applyDeltas(db, page));
  }
}
