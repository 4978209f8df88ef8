/**
 * @module iceberg/metadata-json
 * Table metadata JSON (spec "Table Metadata" and Appendix C) to {@link TableMetadata} and back,
 * with validation. Only format version 2 is read. Snapshot ids that a double cannot hold exactly
 * (above 2^53) are refused with a clear error instead of being rounded by `JSON.parse`. Java's
 * `-1` for "no current snapshot" reads as `null`; a document without `refs` gets the `main`
 * branch the spec implies.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import {
  type JsonObject,
  JsonProblem,
  readInteger,
  readList,
  readObject,
  readOptional,
  readRequired,
  readString,
  readStringMap,
} from "./json-reader.js";
import { readPartitionSpec, readSchema, readSortOrder } from "./schema-json.js";
import type {
  MetadataLogEntry,
  Snapshot,
  SnapshotLogEntry,
  SnapshotRef,
  TableMetadata,
} from "./types.js";

/** Reads and checks one snapshot object. */
export function readSnapshot(value: unknown, path: string): Snapshot {
  const object = readObject(value, path);
  const parent = readOptional(object, "parent-snapshot-id", path, readInteger);
  const schemaId = readOptional(object, "schema-id", path, readInteger);
  const summary = readRequired(object, "summary", path, readStringMap);
  const operation = summary.operation;
  if (operation === undefined) throw new JsonProblem(`${path}.summary`, "has no operation");
  return {
    "snapshot-id": readRequired(object, "snapshot-id", path, readInteger),
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": readRequired(object, "sequence-number", path, readInteger),
    "timestamp-ms": readRequired(object, "timestamp-ms", path, readInteger),
    "manifest-list": readRequired(object, "manifest-list", path, readString),
    summary: { ...summary, operation },
    ...(schemaId === undefined ? {} : { "schema-id": schemaId }),
  };
}

/** Reads and checks one snapshot reference object. */
export function readRef(value: unknown, path: string): SnapshotRef {
  const object = readObject(value, path);
  const type = readRequired(object, "type", path, readString);
  if (type !== "branch" && type !== "tag")
    throw new JsonProblem(`${path}.type`, `must be "branch" or "tag", not "${type}"`);
  const optional = (key: "max-ref-age-ms" | "max-snapshot-age-ms" | "min-snapshots-to-keep") => {
    const v = readOptional(object, key, path, readInteger);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    "snapshot-id": readRequired(object, "snapshot-id", path, readInteger),
    type,
    ...optional("max-ref-age-ms"),
    ...optional("max-snapshot-age-ms"),
    ...optional("min-snapshots-to-keep"),
  };
}

function readRefs(value: unknown, path: string): Record<string, SnapshotRef> {
  const object = readObject(value, path);
  const refs: Record<string, SnapshotRef> = {};
  for (const [name, ref] of Object.entries(object))
    Object.defineProperty(refs, name, {
      value: readRef(ref, `${path}.${name}`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return refs;
}

const readSnapshotLogEntry = (value: unknown, path: string): SnapshotLogEntry => {
  const object = readObject(value, path);
  return {
    "timestamp-ms": readRequired(object, "timestamp-ms", path, readInteger),
    "snapshot-id": readRequired(object, "snapshot-id", path, readInteger),
  };
};

const readMetadataLogEntry = (value: unknown, path: string): MetadataLogEntry => {
  const object = readObject(value, path);
  return {
    "timestamp-ms": readRequired(object, "timestamp-ms", path, readInteger),
    "metadata-file": readRequired(object, "metadata-file", path, readString),
  };
};

const readStatistics = (value: unknown, path: string) =>
  readList(value, path, (v, p) => {
    const object = readObject(v, p);
    readRequired(object, "snapshot-id", p, readInteger);
    return object;
  });

function unique(ids: readonly number[], what: string): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) throw new JsonProblem(what, `id ${id} appears more than once`);
    seen.add(id);
  }
}

function checkConsistency(m: TableMetadata): void {
  unique(
    m.schemas.map((s) => s["schema-id"]),
    "schemas",
  );
  unique(
    m["partition-specs"].map((s) => s["spec-id"]),
    "partition-specs",
  );
  unique(
    m["sort-orders"].map((s) => s["order-id"]),
    "sort-orders",
  );
  const snapshots = m.snapshots ?? [];
  unique(
    snapshots.map((s) => s["snapshot-id"]),
    "snapshots",
  );
  if (!m.schemas.some((s) => s["schema-id"] === m["current-schema-id"]))
    throw new JsonProblem("current-schema-id", `no schema has id ${m["current-schema-id"]}`);
  if (!m["partition-specs"].some((s) => s["spec-id"] === m["default-spec-id"]))
    throw new JsonProblem("default-spec-id", `no partition spec has id ${m["default-spec-id"]}`);
  if (!m["sort-orders"].some((s) => s["order-id"] === m["default-sort-order-id"]))
    throw new JsonProblem(
      "default-sort-order-id",
      `no sort order has id ${m["default-sort-order-id"]}`,
    );
  const ids = new Set(snapshots.map((s) => s["snapshot-id"]));
  const current = m["current-snapshot-id"];
  if (current !== undefined && current !== null && !ids.has(current))
    throw new JsonProblem("current-snapshot-id", `no snapshot has id ${current}`);
  for (const [name, ref] of Object.entries(m.refs ?? {}))
    if (!ids.has(ref["snapshot-id"]))
      throw new JsonProblem(`refs.${name}`, `no snapshot has id ${ref["snapshot-id"]}`);
  const main = m.refs?.main;
  if ((main?.["snapshot-id"] ?? null) !== (current ?? null))
    throw new JsonProblem("refs.main", "must point at current-snapshot-id");
}

/** Reads table metadata from an already parsed JSON value; throws {@link JsonProblem}. */
function readTableMetadata(value: unknown): TableMetadata {
  const object: JsonObject = readObject(value, "");
  const version = readRequired(object, "format-version", "", readInteger);
  if (version !== 2)
    throw new JsonProblem("format-version", `only format version 2 is supported, not ${version}`);
  let current = readOptional(object, "current-snapshot-id", "", readInteger) ?? null;
  if (current === -1) current = null;
  const opt = <T>(key: string, read: (v: unknown, p: string) => T) => {
    const v = readOptional(object, key, "", read);
    return v === undefined ? {} : { [key]: v };
  };
  const refs =
    readOptional(object, "refs", "", readRefs) ??
    (current === null ? {} : { main: { "snapshot-id": current, type: "branch" as const } });
  const metadata: TableMetadata = {
    "format-version": 2,
    "table-uuid": readRequired(object, "table-uuid", "", readString),
    location: readRequired(object, "location", "", readString),
    "last-sequence-number": readRequired(object, "last-sequence-number", "", readInteger),
    "last-updated-ms": readRequired(object, "last-updated-ms", "", readInteger),
    "last-column-id": readRequired(object, "last-column-id", "", readInteger),
    schemas: readRequired(object, "schemas", "", (v, p) => readList(v, p, readSchema)),
    "current-schema-id": readRequired(object, "current-schema-id", "", readInteger),
    "partition-specs": readRequired(object, "partition-specs", "", (v, p) =>
      readList(v, p, readPartitionSpec),
    ),
    "default-spec-id": readRequired(object, "default-spec-id", "", readInteger),
    "last-partition-id": readRequired(object, "last-partition-id", "", readInteger),
    properties: readOptional(object, "properties", "", readStringMap) ?? {},
    "current-snapshot-id": current,
    snapshots: readOptional(object, "snapshots", "", (v, p) => readList(v, p, readSnapshot)) ?? [],
    "snapshot-log":
      readOptional(object, "snapshot-log", "", (v, p) => readList(v, p, readSnapshotLogEntry)) ??
      [],
    "metadata-log":
      readOptional(object, "metadata-log", "", (v, p) => readList(v, p, readMetadataLogEntry)) ??
      [],
    "sort-orders": readRequired(object, "sort-orders", "", (v, p) => readList(v, p, readSortOrder)),
    "default-sort-order-id": readRequired(object, "default-sort-order-id", "", readInteger),
    refs,
    ...opt("statistics", readStatistics),
    ...opt("partition-statistics", readStatistics),
  };
  checkConsistency(metadata);
  return metadata;
}

function invalid(cause: unknown, what: string): CatalogueError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new CatalogueError("INVALID_INPUT", `${what}: ${detail}`, { cause });
}

/**
 * Parses and validates a table metadata document (text or UTF-8 bytes). Returns
 * `Err(CatalogueError)` with code `INVALID_INPUT` naming the offending field for malformed JSON,
 * a format version other than 2, missing or mistyped fields, ids above 2^53, or references to
 * schemas, specs, sort orders or snapshots that do not exist.
 */
export function parseTableMetadata(
  input: string | Uint8Array,
): Result<TableMetadata, CatalogueError> {
  let value: unknown;
  try {
    const text =
      typeof input === "string"
        ? input
        : new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
    value = JSON.parse(text);
  } catch (cause) {
    return Err(invalid(cause, "table metadata is not valid JSON"));
  }
  try {
    return Ok(readTableMetadata(value));
  } catch (cause) {
    return Err(invalid(cause, "invalid table metadata"));
  }
}

/**
 * Serialises table metadata as compact JSON with the spec's field names, after validating it
 * exactly as {@link parseTableMetadata} does (so what is written can always be read back).
 * Returns `Err(CatalogueError)` (`INVALID_INPUT`) for metadata that is not valid.
 */
export function serialiseTableMetadata(metadata: TableMetadata): Result<string, CatalogueError> {
  try {
    const checked = readTableMetadata(JSON.parse(JSON.stringify(metadata)));
    return Ok(JSON.stringify(checked));
  } catch (cause) {
    return Err(invalid(cause, "cannot serialise table metadata"));
  }
}
