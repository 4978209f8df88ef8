/**
 * @module sync-rules/validate
 * Validation of untrusted sync-rules documents.
 */
import { SchemaError } from "../result/errors.js";
import { Err, Ok, type Result } from "../result/result.js";
import type {
  Bucket,
  FilterValue,
  RowFilter,
  SyncRules,
  TableRule,
  WriteGrant,
  WriteOperation,
} from "./types.js";

const MAX_BUCKETS = 1_000;
const MAX_ITEMS = 10_000;

class Invalid extends Error {}

function fail(path: string, message: string): never {
  throw new Invalid(`${path}: ${message}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value).slice(0, 60) : typeof value;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
  if (value.length > max) fail(path, `at most ${max} entries allowed, got ${value.length}`);
  return value;
}

function name(value: unknown, path: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 256) {
    fail(path, `expected a non-empty string of at most 256 characters, got ${describe(value)}`);
  }
  return value;
}

function scalar(value: unknown, path: string): FilterValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return fail(path, `expected a string, finite number, boolean or null, got ${describe(value)}`);
}

function filter(value: unknown, path: string): RowFilter {
  const raw = record(value, path);
  const column = name(raw.column, `${path}.column`);
  if (raw.op === "eq") return { column, op: "eq", value: scalar(raw.value, `${path}.value`) };
  if (raw.op === "in") {
    if (typeof raw.value === "string") {
      if (!raw.value.startsWith("jwt:"))
        fail(`${path}.value`, `a string for "in" must be a "jwt:<claim>" reference`);
      return { column, op: "in", value: raw.value };
    }
    const values = list(raw.value, `${path}.value`, MAX_ITEMS).map((v, i) =>
      scalar(v, `${path}.value[${i}]`),
    );
    return { column, op: "in", value: values };
  }
  return fail(`${path}.op`, `expected "eq" or "in", got ${describe(raw.op)}`);
}

function tableRule(value: unknown, path: string): TableRule {
  const raw = record(value, path);
  const table = name(raw.table, `${path}.table`);
  if (raw.filters === undefined) return { table };
  const filters = list(raw.filters, `${path}.filters`, MAX_ITEMS).map((f, i) =>
    filter(f, `${path}.filters[${i}]`),
  );
  return { table, filters };
}

function bucket(value: unknown, path: string): Bucket {
  const raw = record(value, path);
  const bucketName = name(raw.name, `${path}.name`);
  const tables = list(raw.tables, `${path}.tables`, MAX_ITEMS).map((t, i) =>
    tableRule(t, `${path}.tables[${i}]`),
  );
  return { name: bucketName, tables };
}

const OPERATIONS: readonly WriteOperation[] = ["insert", "update", "delete"];

function writeGrant(value: unknown, path: string): WriteGrant {
  const raw = record(value, path);
  const table = name(raw.table, `${path}.table`);
  const filters =
    raw.filters === undefined
      ? undefined
      : list(raw.filters, `${path}.filters`, MAX_ITEMS).map((f, i) =>
          filter(f, `${path}.filters[${i}]`),
        );
  let columns: readonly string[] | "*" | undefined;
  if (raw.columns === "*" || raw.columns === undefined) columns = raw.columns;
  else
    columns = list(raw.columns, `${path}.columns`, MAX_ITEMS).map((c, i) =>
      name(c, `${path}.columns[${i}]`),
    );
  let operations: readonly WriteOperation[] | undefined;
  if (raw.operations !== undefined) {
    operations = list(raw.operations, `${path}.operations`, 3).map((op, i) => {
      if (typeof op === "string" && (OPERATIONS as readonly string[]).includes(op))
        return op as WriteOperation;
      return fail(
        `${path}.operations[${i}]`,
        `expected "insert", "update" or "delete", got ${describe(op)}`,
      );
    });
  }
  return {
    table,
    ...(filters ? { filters } : {}),
    ...(columns === undefined ? {} : { columns }),
    ...(operations ? { operations } : {}),
  };
}

/**
 * Validates an untrusted sync-rules document (for example parsed JSON from an admin call).
 * Returns the typed rules, or `Err(SchemaError)` whose message names the first offending path,
 * such as `buckets[0].tables[1].filters[0].op: expected "eq" or "in", got "like"`.
 * Bucket names must be unique. `writes` (optional) lists write grants: `{table, filters?,
 * columns?: string[] | "*", operations?: ("insert" | "update" | "delete")[]}`. Never throws.
 */
export function validateSyncRules(document: unknown): Result<SyncRules, SchemaError> {
  try {
    const raw = record(document, "rules");
    if (raw.version !== undefined && raw.version !== 1)
      fail("rules.version", `unsupported version ${describe(raw.version)}; expected 1`);
    const buckets = list(raw.buckets, "rules.buckets", MAX_BUCKETS).map((b, i) =>
      bucket(b, `rules.buckets[${i}]`),
    );
    const seen = new Set<string>();
    for (const [i, b] of buckets.entries()) {
      if (seen.has(b.name))
        fail(`rules.buckets[${i}].name`, `duplicate bucket name ${JSON.stringify(b.name)}`);
      seen.add(b.name);
    }
    const writes =
      raw.writes === undefined
        ? undefined
        : list(raw.writes, "rules.writes", MAX_ITEMS).map((w, i) =>
            writeGrant(w, `rules.writes[${i}]`),
          );
    return Ok({ version: 1, buckets, ...(writes ? { writes } : {}) });
  } catch (error) {
    if (error instanceof Invalid)
      return Err(new SchemaError(`invalid sync rules: ${error.message}`));
    return Err(new SchemaError("invalid sync rules", { cause: error }));
  }
}
