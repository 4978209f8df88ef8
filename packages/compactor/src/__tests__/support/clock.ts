import type { Catalogue, TableIdentifier } from "@lakesync/catalogue";
import { Err, LakeSyncError } from "@lakesync/core";

/** One day in ms. */
export const DAY = 86_400_000;

/**
 * A manual clock for snapshot timestamps. It starts an hour ahead of the wall clock, because a
 * catalogue stamps metadata it changes without a snapshot (expiry) with the real time, and
 * snapshot times never go below the metadata's.
 */
export class ManualClock {
  ms = Date.now() + 3_600_000;
  readonly now = () => this.ms;
  advance(days: number): void {
    this.ms += days * DAY;
  }
}

/** `catalogue`, except that commits to the tables `failing` names fail (once each, or always). */
export function failingCommits(
  catalogue: Catalogue,
  failing: (table: TableIdentifier) => boolean,
): Catalogue {
  return new Proxy(catalogue, {
    get(target, property, receiver) {
      if (property === "commitTable")
        return (
          table: TableIdentifier,
          ...rest: Parameters<Catalogue["commitTable"]> extends [unknown, ...infer R] ? R : never
        ) =>
          failing(table)
            ? Promise.resolve(Err(new LakeSyncError("CATALOGUE_UNAVAILABLE", "injected failure")))
            : target.commitTable(table, ...rest);
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
