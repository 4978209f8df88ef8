import {
  type ColumnValue,
  type DeltaOp,
  deltaId,
  HLC_MAX,
  type HLCTimestamp,
  type RowDelta,
  type TableSchema,
  toHLC,
  unwrapOrThrow,
} from "@lakesync/core";

export const todos: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "priority", type: "number" },
    { name: "completed", type: "boolean" },
    { name: "meta", type: "json" },
  ],
};

export function delta(
  op: DeltaOp,
  rowId: string,
  columns: Record<string, ColumnValue>,
  hlc: bigint = 1n << 40n,
  clientId = "phone",
): RowDelta {
  const ts = unwrapOrThrow(toHLC(hlc)) as HLCTimestamp;
  const cols = Object.entries(columns).map(([column, value]) => ({ column, value }));
  const base = { table: "todos", rowId, clientId, hlc: ts, columns: cols };
  return { ...base, op, deltaId: deltaId(base) };
}

export const sample: RowDelta[] = [
  delta("INSERT", "t1", {
    title: "Buy milk 🥛 — ünïcödé",
    priority: 1.5,
    completed: false,
    meta: { tags: ["a", "b"], nested: { deep: [1, null, { x: "y" }] } },
  }),
  delta("UPDATE", "t1", { completed: true }, 2n << 40n),
  delta("UPDATE", "t1", { meta: null, title: null }, 3n << 40n, "laptop"),
  delta("DELETE", "t2", {}, HLC_MAX),
  delta("INSERT", "t3", { title: "", priority: -0.25, completed: true, meta: [] }, 0n),
];
