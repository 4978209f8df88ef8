/**
 * @module iceberg/apply-updates
 * Applying a commit's updates (REST `TableUpdate`) to table metadata, with the rules of the
 * reference implementation's metadata builder: new schemas, specs and sort orders reuse the id
 * of an identical existing one or take the next free id (`-1` then selects "the one added last
 * in this commit"); a snapshot's sequence number must be above the table's last one; moving the
 * `main` branch moves `current-snapshot-id` and appends to the snapshot log; removed snapshots
 * disappear from refs, the snapshot log and statistics.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { TableUpdate } from "../catalogue/updates.js";
import { CatalogueError } from "../errors.js";
import { JsonProblem, readInteger, readString, readStringMap } from "./json-reader.js";
import { readRef, readSnapshot, serialiseTableMetadata } from "./metadata-json.js";
import { highestFieldId, readPartitionSpec, readSchema, readSortOrder } from "./schema-json.js";
import type { IcebergSchema, SortOrder, TableMetadata } from "./types.js";

/** Options of {@link applyUpdates}. */
export interface ApplyUpdatesOptions {
  /** The commit's time in epoch milliseconds (defaults to `Date.now()`). */
  readonly now?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the updates of one commit have done so far (for `-1` ids and snapshot-log times). */
interface CommitState {
  readonly now: number;
  lastAddedSchemaId?: number;
  lastAddedSpecId?: number;
  lastAddedOrderId?: number;
  readonly addedSnapshots: Map<number, number>;
}

/** A conflict with the table's current state, rather than malformed input. */
class UpdateConflict extends Error {}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const nextId = (ids: readonly number[], floor: number) =>
  ids.reduce((a, b) => Math.max(a, b + 1), floor);
/** A JSON round trip, so readers see plain data whatever the caller passed. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

function addSchema(
  m: Mutable<TableMetadata>,
  update: { schema: unknown; "last-column-id"?: unknown },
  s: CommitState,
) {
  const schema = readSchema(plain(update.schema), "schema");
  const declared =
    update["last-column-id"] === undefined
      ? 0
      : readInteger(update["last-column-id"], "last-column-id");
  const fields = (x: IcebergSchema) => [x.fields, x["identifier-field-ids"] ?? []];
  const existing = m.schemas.find((x) => same(fields(x), fields(schema)));
  const id =
    existing?.["schema-id"] ??
    nextId(
      m.schemas.map((x) => x["schema-id"]),
      0,
    );
  if (!existing) m.schemas = [...m.schemas, { ...schema, "schema-id": id }];
  m["last-column-id"] = Math.max(m["last-column-id"], declared, highestFieldId(schema));
  s.lastAddedSchemaId = id;
}

function resolveId(id: unknown, lastAdded: number | undefined, what: string): number {
  const value = readInteger(id, what);
  if (value !== -1) return value;
  if (lastAdded === undefined)
    throw new JsonProblem(what, "-1 needs one added earlier in the same commit");
  return lastAdded;
}

function addSpec(m: Mutable<TableMetadata>, value: unknown, s: CommitState) {
  const spec = readPartitionSpec(plain(value), "spec");
  const schema = m.schemas.find((x) => x["schema-id"] === m["current-schema-id"]);
  for (const field of spec.fields) {
    if (!schema?.fields.some((f) => f.id === field["source-id"]))
      throw new JsonProblem(
        "spec",
        `partition source field ${field["source-id"]} is not in the current schema`,
      );
    if (field["field-id"] < 1000)
      throw new JsonProblem("spec", `partition field ids start at 1000, not ${field["field-id"]}`);
  }
  const existing = m["partition-specs"].find((x) => same(x.fields, spec.fields));
  const id =
    existing?.["spec-id"] ??
    nextId(
      m["partition-specs"].map((x) => x["spec-id"]),
      0,
    );
  if (!existing) m["partition-specs"] = [...m["partition-specs"], { ...spec, "spec-id": id }];
  m["last-partition-id"] = spec.fields.reduce(
    (a, f) => Math.max(a, f["field-id"]),
    m["last-partition-id"],
  );
  s.lastAddedSpecId = id;
}

function addSortOrder(m: Mutable<TableMetadata>, value: unknown, s: CommitState) {
  const order: SortOrder = readSortOrder(plain(value), "sort-order");
  const existing = m["sort-orders"].find((x) => same(x.fields, order.fields));
  const id =
    existing?.["order-id"] ??
    (order.fields.length === 0
      ? 0
      : nextId(
          m["sort-orders"].map((x) => x["order-id"]),
          1,
        ));
  if (!existing) m["sort-orders"] = [...m["sort-orders"], { ...order, "order-id": id }];
  s.lastAddedOrderId = id;
}

function addSnapshot(m: Mutable<TableMetadata>, value: unknown, s: CommitState) {
  const snapshot = readSnapshot(plain(value), "snapshot");
  const id = snapshot["snapshot-id"];
  if ((m.snapshots ?? []).some((x) => x["snapshot-id"] === id))
    throw new UpdateConflict(`snapshot ${id} already exists`);
  if (snapshot["sequence-number"] <= m["last-sequence-number"])
    throw new UpdateConflict(
      `snapshot ${id} has sequence number ${snapshot["sequence-number"]}, not above the table's last ${m["last-sequence-number"]}`,
    );
  const schemaId = snapshot["schema-id"];
  if (schemaId !== undefined && !m.schemas.some((x) => x["schema-id"] === schemaId))
    throw new JsonProblem("snapshot.schema-id", `no schema has id ${schemaId}`);
  m.snapshots = [...(m.snapshots ?? []), snapshot];
  m["last-sequence-number"] = snapshot["sequence-number"];
  s.addedSnapshots.set(id, snapshot["timestamp-ms"]);
}

function setSnapshotRef(
  m: Mutable<TableMetadata>,
  update: Record<string, unknown>,
  s: CommitState,
) {
  const name = readString(update["ref-name"], "ref-name");
  const ref = readRef(plain({ ...update, action: undefined, "ref-name": undefined }), "ref");
  const id = ref["snapshot-id"];
  const snapshot = (m.snapshots ?? []).find((x) => x["snapshot-id"] === id);
  if (!snapshot) throw new JsonProblem("snapshot-id", `no snapshot has id ${id}`);
  if (name === "main" && ref.type !== "branch")
    throw new JsonProblem("type", "main must be a branch");
  const previous = m.refs?.[name]?.["snapshot-id"];
  m.refs = { ...(m.refs ?? {}), [name]: ref };
  if (name === "main" && previous !== id) {
    m["current-snapshot-id"] = id;
    const at = s.addedSnapshots.get(id) ?? s.now;
    m["snapshot-log"] = [...(m["snapshot-log"] ?? []), { "timestamp-ms": at, "snapshot-id": id }];
  }
}

function removeSnapshots(m: Mutable<TableMetadata>, ids: unknown) {
  if (!Array.isArray(ids)) throw new JsonProblem("snapshot-ids", "expected an array");
  const gone = new Set(ids.map((id, i) => readInteger(id, `snapshot-ids[${i}]`)));
  const keep = <T extends { readonly "snapshot-id"?: unknown }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((x) => !gone.has(x["snapshot-id"] as number));
  m.snapshots = keep(m.snapshots);
  m["snapshot-log"] = keep(m["snapshot-log"]);
  if (m.statistics) m.statistics = keep(m.statistics);
  if (m["partition-statistics"]) m["partition-statistics"] = keep(m["partition-statistics"]);
  m.refs = Object.fromEntries(
    Object.entries(m.refs ?? {}).filter(([, r]) => !gone.has(r["snapshot-id"])),
  );
  if (m.refs.main === undefined) m["current-snapshot-id"] = null;
}

function applyOne(m: Mutable<TableMetadata>, update: TableUpdate, s: CommitState): void {
  const u = update as unknown as Record<string, unknown>;
  switch (update.action) {
    case "assign-uuid":
      m["table-uuid"] = readString(u.uuid, "uuid");
      return;
    case "upgrade-format-version":
      if (readInteger(u["format-version"], "format-version") !== 2)
        throw new JsonProblem("format-version", "only format version 2 is supported");
      return;
    case "add-schema":
      addSchema(m, update, s);
      return;
    case "set-current-schema": {
      const id = resolveId(u["schema-id"], s.lastAddedSchemaId, "schema-id");
      if (!m.schemas.some((x) => x["schema-id"] === id))
        throw new JsonProblem("schema-id", `no schema has id ${id}`);
      m["current-schema-id"] = id;
      return;
    }
    case "add-spec":
      addSpec(m, u.spec, s);
      return;
    case "set-default-spec": {
      const id = resolveId(u["spec-id"], s.lastAddedSpecId, "spec-id");
      if (!m["partition-specs"].some((x) => x["spec-id"] === id))
        throw new JsonProblem("spec-id", `no partition spec has id ${id}`);
      m["default-spec-id"] = id;
      return;
    }
    case "add-sort-order":
      addSortOrder(m, u["sort-order"], s);
      return;
    case "set-default-sort-order": {
      const id = resolveId(u["sort-order-id"], s.lastAddedOrderId, "sort-order-id");
      if (!m["sort-orders"].some((x) => x["order-id"] === id))
        throw new JsonProblem("sort-order-id", `no sort order has id ${id}`);
      m["default-sort-order-id"] = id;
      return;
    }
    case "add-snapshot":
      addSnapshot(m, u.snapshot, s);
      return;
    case "set-snapshot-ref":
      setSnapshotRef(m, u, s);
      return;
    case "remove-snapshots":
      removeSnapshots(m, u["snapshot-ids"]);
      return;
    case "remove-snapshot-ref": {
      const name = readString(u["ref-name"], "ref-name");
      m.refs = Object.fromEntries(Object.entries(m.refs ?? {}).filter(([k]) => k !== name));
      if (name === "main") m["current-snapshot-id"] = null;
      return;
    }
    case "set-location": {
      const location = readString(u.location, "location");
      if (location === "") throw new JsonProblem("location", "must not be empty");
      m.location = location.replace(/\/+$/, "");
      return;
    }
    case "set-properties":
      m.properties = { ...(m.properties ?? {}), ...readStringMap(plain(u.updates), "updates") };
      return;
    case "remove-properties": {
      if (!Array.isArray(u.removals)) throw new JsonProblem("removals", "expected an array");
      const removals = new Set(u.removals.map((k, i) => readString(k, `removals[${i}]`)));
      m.properties = Object.fromEntries(
        Object.entries(m.properties ?? {}).filter(([k]) => !removals.has(k)),
      );
      return;
    }
    default:
      throw new JsonProblem("action", `unknown table update action ${JSON.stringify(u.action)}`);
  }
}

/**
 * Applies `updates` in order to `metadata` and returns the new metadata (the input is not
 * changed). `last-updated-ms` becomes the latest added snapshot's timestamp, else `now`.
 * Returns `Err(CatalogueError)`: `INVALID_INPUT` for an unknown action or a malformed update
 * (the message names the update and field), `COMMIT_CONFLICT` for a snapshot whose id exists
 * or whose sequence number is not above the table's last one.
 */
export function applyUpdates(
  metadata: TableMetadata,
  updates: readonly TableUpdate[],
  options: ApplyUpdatesOptions = {},
): Result<TableMetadata, CatalogueError> {
  const state: CommitState = { now: options.now ?? Date.now(), addedSnapshots: new Map() };
  const m: Mutable<TableMetadata> = { ...metadata };
  for (const [i, update] of updates.entries()) {
    const action = (update as { action?: unknown } | null)?.action;
    try {
      applyOne(m, update, state);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      const code = cause instanceof UpdateConflict ? "COMMIT_CONFLICT" : "INVALID_INPUT";
      return Err(new CatalogueError(code, `update ${i} (${String(action)}): ${detail}`, { cause }));
    }
  }
  const added = [...state.addedSnapshots.values()];
  m["last-updated-ms"] = added.length > 0 ? Math.max(...added) : state.now;
  const checked = serialiseTableMetadata(m);
  if (!checked.ok) return checked;
  return Ok(m);
}
