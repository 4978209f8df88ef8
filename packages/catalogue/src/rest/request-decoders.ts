/**
 * @module rest/request-decoders
 * Reading the request bodies the Iceberg REST server accepts (`CreateNamespaceRequest`,
 * `CreateTableRequest`, `CommitTableRequest`) into the `Catalogue` types, checking every field.
 * A problem is a message naming the field, for a 400; unknown requirement types and update
 * actions are refused, as the spec requires.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { CreateTableRequest, Namespace } from "../catalogue/catalogue.js";
import type { TableRequirement, TableUpdate } from "../catalogue/updates.js";
import {
  type JsonObject,
  JsonProblem,
  readBoolean,
  readInteger,
  readList,
  readObject,
  readOptional,
  readRequired,
  readString,
  readStringMap,
} from "../iceberg/json-reader.js";
import { readRef, readSnapshot } from "../iceberg/metadata-json.js";
import { readPartitionSpec, readSchema, readSortOrder } from "../iceberg/schema-json.js";
import type { PartitionSpec } from "../iceberg/types.js";
import { namespaceProblem } from "./namespace-path.js";

/** Runs a reader; a `JsonProblem` (or any throw) becomes the `Err` message. */
export function decodeRequest<T>(what: string, read: () => T): Result<T, string> {
  try {
    return Ok(read());
  } catch (cause) {
    return Err(`invalid ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

function readNamespace(value: unknown, path: string): Namespace {
  const namespace = readList(value, path, readString);
  const problem = namespaceProblem(namespace);
  if (problem) throw new JsonProblem(path, problem);
  return namespace;
}

/** `CreateNamespaceRequest`. */
export function readCreateNamespace(body: unknown): {
  namespace: Namespace;
  properties: Record<string, string>;
} {
  const object = readObject(body, "");
  return {
    namespace: readRequired(object, "namespace", "", readNamespace),
    properties: readOptional(object, "properties", "", readStringMap) ?? {},
  };
}

/** A partition spec as clients send it: `spec-id` (read-only) and field ids may be left out. */
function readLoosePartitionSpec(value: unknown, path: string): PartitionSpec {
  const object = readObject(value, path);
  const fields = readRequired(object, "fields", path, (v, p) => readList(v, p, readObject));
  return readPartitionSpec(
    {
      "spec-id": object["spec-id"] ?? 0,
      fields: fields.map((field, i) => ({ ...field, "field-id": field["field-id"] ?? 1000 + i })),
    },
    path,
  );
}

/** `CreateTableRequest` (without `stage-create`, which the server refuses). */
export function readCreateTable(body: unknown): CreateTableRequest {
  const object = readObject(body, "");
  if (readOptional(object, "stage-create", "", readBoolean) === true)
    throw new JsonProblem(
      "stage-create",
      "staged table creation is not supported by this catalogue",
    );
  const name = readRequired(object, "name", "", readString);
  if (name === "") throw new JsonProblem("name", "a table name cannot be empty");
  const schemaObject = readRequired(object, "schema", "", readObject);
  const schema = readSchema(
    { ...schemaObject, "schema-id": schemaObject["schema-id"] ?? 0 },
    "schema",
  );
  const spec = readOptional(object, "partition-spec", "", readLoosePartitionSpec);
  const order = readOptional(object, "write-order", "", readSortOrder);
  const location = readOptional(object, "location", "", readString);
  const properties = readOptional(object, "properties", "", readStringMap);
  return {
    name,
    schema,
    ...(spec === undefined ? {} : { partitionSpec: spec }),
    ...(order === undefined ? {} : { writeOrder: order }),
    ...(location === undefined ? {} : { location }),
    ...(properties === undefined ? {} : { properties }),
  };
}

const INTEGER_REQUIREMENTS: Readonly<Record<string, string>> = {
  "assert-last-assigned-field-id": "last-assigned-field-id",
  "assert-current-schema-id": "current-schema-id",
  "assert-last-assigned-partition-id": "last-assigned-partition-id",
  "assert-default-spec-id": "default-spec-id",
  "assert-default-sort-order-id": "default-sort-order-id",
};

function readRequirement(value: unknown, path: string): TableRequirement {
  const object = readObject(value, path);
  const type = readRequired(object, "type", path, readString);
  if (type === "assert-create") return { type };
  if (type === "assert-table-uuid")
    return { type, uuid: readRequired(object, "uuid", path, readString) };
  if (type === "assert-ref-snapshot-id") {
    const id = readRequired(object, "snapshot-id", path, (v, p) =>
      v === null ? null : readInteger(v, p),
    );
    return { type, ref: readRequired(object, "ref", path, readString), "snapshot-id": id };
  }
  const key = INTEGER_REQUIREMENTS[type];
  if (key === undefined)
    throw new JsonProblem(`${path}.type`, `unknown requirement type "${type}"`);
  return { type, [key]: readRequired(object, key, path, readInteger) } as TableRequirement;
}

const int = (o: JsonObject, key: string, path: string) => readRequired(o, key, path, readInteger);
const str = (o: JsonObject, key: string, path: string) => readRequired(o, key, path, readString);

function readUpdate(value: unknown, path: string): TableUpdate {
  const o = readObject(value, path);
  const action = str(o, "action", path);
  switch (action) {
    case "assign-uuid":
      return { action, uuid: str(o, "uuid", path) };
    case "upgrade-format-version":
      return { action, "format-version": int(o, "format-version", path) };
    case "add-schema": {
      const schema = readRequired(o, "schema", path, readObject);
      const last = readOptional(o, "last-column-id", path, readInteger);
      return {
        action,
        schema: readSchema({ ...schema, "schema-id": schema["schema-id"] ?? -1 }, `${path}.schema`),
        ...(last === undefined ? {} : { "last-column-id": last }),
      };
    }
    case "set-current-schema":
      return { action, "schema-id": int(o, "schema-id", path) };
    case "add-spec":
      return { action, spec: readRequired(o, "spec", path, readLoosePartitionSpec) };
    case "set-default-spec":
      return { action, "spec-id": int(o, "spec-id", path) };
    case "add-sort-order":
      return { action, "sort-order": readRequired(o, "sort-order", path, readSortOrder) };
    case "set-default-sort-order":
      return { action, "sort-order-id": int(o, "sort-order-id", path) };
    case "add-snapshot":
      return { action, snapshot: readRequired(o, "snapshot", path, readSnapshot) };
    case "set-snapshot-ref":
      return { action, "ref-name": str(o, "ref-name", path), ...readRef(o, path) };
    case "remove-snapshots":
      return {
        action,
        "snapshot-ids": readRequired(o, "snapshot-ids", path, (v, p) =>
          readList(v, p, readInteger),
        ),
      };
    case "remove-snapshot-ref":
      return { action, "ref-name": str(o, "ref-name", path) };
    case "set-location":
      return { action, location: str(o, "location", path) };
    case "set-properties":
      return { action, updates: readRequired(o, "updates", path, readStringMap) };
    case "remove-properties":
      return {
        action,
        removals: readRequired(o, "removals", path, (v, p) => readList(v, p, readString)),
      };
    default:
      throw new JsonProblem(`${path}.action`, `unknown or unsupported update action "${action}"`);
  }
}

/** `CommitTableRequest`: its requirements and updates. */
export function readCommitTable(body: unknown): {
  requirements: TableRequirement[];
  updates: TableUpdate[];
} {
  const object = readObject(body, "");
  return {
    requirements: readRequired(object, "requirements", "", (v, p) =>
      readList(v, p, readRequirement),
    ),
    updates: readRequired(object, "updates", "", (v, p) => readList(v, p, readUpdate)),
  };
}
