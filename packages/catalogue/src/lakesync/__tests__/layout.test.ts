import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { COMMIT_KEY_PROPERTY } from "../../commit/snapshot-summary.js";
import { createTableMetadata } from "../../iceberg/metadata.js";
import type { Snapshot, TableMetadata } from "../../iceberg/types.js";
import { tableSchemaToIceberg } from "../column-mapping.js";
import { flushCommitKey, lakeTables, tableDirectory } from "../layout.js";
import { parquetColumnName } from "../parquet-names.js";
import { pairedStateSnapshot } from "../state-pairing.js";

describe("names of the layout", () => {
  it("tables of a synced table, and its commit key", () => {
    expect(lakeTables(["gw"], "todos")).toEqual({
      main: { namespace: ["gw"], name: "todos" },
      state: { namespace: ["gw"], name: "_lakesync_state_todos" },
      history: { namespace: ["gw"], name: "_lakesync_history" },
    });
    expect(flushCommitKey("gw", "todos", { min: 5n, max: 9n } as never)).toBe("gw:todos:5-9");
  });

  it("directories: plain names as they are, others an ASCII slug plus a hash of the name", () => {
    expect(tableDirectory("todos_2-b")).toBe("todos_2-b");
    expect(tableDirectory("my todos")).toMatch(/^my_todos-[0-9a-f]{16}$/);
    expect(tableDirectory("my todos")).not.toBe(tableDirectory("my_todos"));
    expect(tableDirectory("my todos")).not.toBe(tableDirectory("my/todos"));
    expect(tableDirectory("ü✓")).toMatch(/^[0-9a-f]{16}$/);
    expect(tableDirectory("..")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("Parquet column names are spelt as Iceberg's reference writer and icebird spell them", () => {
    expect(parquetColumnName("title")).toBe("title");
    expect(parquetColumnName("first name")).toBe("first_x20name");
    expect(parquetColumnName("1st")).toBe("_1st");
    expect(parquetColumnName("ü")).toBe("_xFC");
    expect(parquetColumnName("😀")).toBe("_xD83D_xDE00");
  });
});

describe("pairing a table snapshot with its state snapshot", () => {
  const schema = unwrapOrThrow(tableSchemaToIceberg({ table: "t", columns: [] }));
  const base = unwrapOrThrow(createTableMetadata({ location: "memory://w/t", schema }));
  /** A table whose main branch is the chain of `keys` (`undefined`: a keyless snapshot). */
  const chain = (keys: (string | undefined)[], firstId: number): TableMetadata => {
    const snapshots: Snapshot[] = keys.map((key, i) => ({
      "snapshot-id": firstId + i,
      ...(i > 0 ? { "parent-snapshot-id": firstId + i - 1 } : {}),
      "sequence-number": i + 1,
      "timestamp-ms": i,
      "manifest-list": `memory://w/t/m${i}`,
      summary: { operation: "overwrite", ...(key ? { [COMMIT_KEY_PROPERTY]: key } : {}) },
    }));
    return {
      ...base,
      snapshots,
      "current-snapshot-id": firstId + keys.length - 1,
      refs: { main: { "snapshot-id": firstId + keys.length - 1, type: "branch" } },
    };
  };
  const id = (s: Snapshot | undefined) => s?.["snapshot-id"];

  it("is the newest state snapshot of a flush the table has, above keyless rewrites included", () => {
    const table = chain(["k1", "k2"], 10);
    expect(
      id(pairedStateSnapshot(table, table.snapshots?.[1], chain(["k1", "k2", "k3"], 20))),
    ).toBe(21);
    expect(id(pairedStateSnapshot(table, table.snapshots?.[0], chain(["k1", "k2"], 20)))).toBe(20);
    expect(
      id(pairedStateSnapshot(table, table.snapshots?.[1], chain(["k1", "k2", undefined], 20))),
    ).toBe(22);
    expect(
      id(
        pairedStateSnapshot(table, table.snapshots?.[1], chain(["k1", "k2", "k3", undefined], 20)),
      ),
    ).toBe(21);
  });

  it("is nothing for a table without snapshots, and the current state when no key matches", () => {
    expect(pairedStateSnapshot(base, undefined, chain(["k1"], 20))).toBeUndefined();
    const table = chain(["x"], 10);
    expect(id(pairedStateSnapshot(table, table.snapshots?.[0], chain(["k1", "k2"], 20)))).toBe(21);
  });
});
