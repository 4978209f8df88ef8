/**
 * @module delta/extract
 * Turning a before/after pair of rows into a column-level delta, and applying one to a row.
 */
import type { HLCTimestamp } from "../hlc/timestamp.js";
import { ValidationError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import { deltaId } from "./delta-id.js";
import { checkColumnValue, columnValuesEqual } from "./json-value.js";
import { setOwn } from "./own-property.js";
import type { ColumnDelta, DeltaOp, Row, RowDelta, TableSchema } from "./types.js";

/** Who made a change, when, and to which row. */
export interface DeltaContext {
  readonly table: string;
  readonly rowId: string;
  readonly clientId: string;
  readonly hlc: HLCTimestamp;
  /** When given, only the schema's columns are considered, in the schema's order. */
  readonly schema?: TableSchema;
}

type LooseRow = Readonly<Record<string, unknown>>;

/**
 * Computes the delta that turns `before` into `after`:
 * `null -> row` is an INSERT of every column, `row -> null` a DELETE with no columns, and
 * `row -> row` an UPDATE of the changed columns only. Returns `Ok(null)` when nothing changed.
 * Columns whose value is `undefined` are absent and skipped; nested JSON is compared regardless
 * of key order. Returns `Err(ValidationError)` for a value that is not JSON (a function, a
 * `Date`, `NaN`, …) or a schema whose table differs from the context's.
 */
export function extractDelta(
  before: LooseRow | null | undefined,
  after: LooseRow | null | undefined,
  context: DeltaContext,
): Result<RowDelta | null, ValidationError> {
  const { schema } = context;
  if (schema !== undefined && schema.table !== context.table) {
    return Err(
      new ValidationError(`schema is for table "${schema.table}", delta is for "${context.table}"`),
    );
  }
  if (!before && !after) return Ok(null);
  if (before && !after) return Ok(build("DELETE", [], context));

  const next = after as LooseRow;
  const names = schema ? schema.columns.map((c) => c.name) : Object.keys(next);
  const columns: ColumnDelta[] = [];
  for (const name of names) {
    const raw = Object.hasOwn(next, name) ? next[name] : undefined;
    if (raw === undefined) continue;
    const checked = checkColumnValue(raw, `${context.table}.${name}`);
    if (!checked.ok) return checked;
    if (before) {
      const old = Object.hasOwn(before, name) ? before[name] : undefined;
      if (old !== undefined && columnValuesEqual(old as never, checked.value)) continue;
    }
    columns.push({ column: name, value: checked.value });
  }
  if (!before) return Ok(build("INSERT", columns, context));
  return Ok(columns.length === 0 ? null : build("UPDATE", columns, context));
}

function build(op: DeltaOp, columns: ColumnDelta[], context: DeltaContext): RowDelta {
  const { table, rowId, clientId, hlc } = context;
  return {
    op,
    table,
    rowId,
    clientId,
    hlc,
    columns,
    deltaId: deltaId({ clientId, hlc, table, rowId, columns }),
  };
}

/**
 * Applies a delta to a row without mutating it: DELETE gives `null`, INSERT and UPDATE give a
 * new row with the delta's columns written over the old ones (an UPDATE of a missing row gives
 * a row of just those columns). Conflict resolution is not done here: see `resolveLWW`.
 */
export function applyDelta(row: Row | null, delta: RowDelta): Row | null {
  if (delta.op === "DELETE") return null;
  const next: Record<string, Row[string]> = { ...(row ?? {}) };
  for (const { column, value } of delta.columns) setOwn(next, column, value);
  return next;
}
