/**
 * @module iceberg/schema-json
 * Reading and checking the JSON of Iceberg schemas, types, partition specs and sort orders
 * (spec Appendix C). Readers copy only the fields the spec defines, in a fixed order, so a value
 * read and written again is the same document.
 */

import {
  JsonProblem,
  readBoolean,
  readInteger,
  readList,
  readObject,
  readOptional,
  readRequired,
  readString,
} from "./json-reader.js";
import type {
  IcebergField,
  IcebergPrimitive,
  IcebergSchema,
  IcebergType,
  PartitionField,
  PartitionSpec,
  SortField,
  SortOrder,
} from "./types.js";

const PRIMITIVES = new Set([
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "string",
  "uuid",
  "binary",
]);

/**
 * Reads a primitive type name; `decimal(P,S)` is normalised to `decimal(P, S)`. `undefined` when
 * `name` is not a primitive type of format version 2.
 */
export function parsePrimitive(name: string): IcebergPrimitive | undefined {
  if (PRIMITIVES.has(name)) return name as IcebergPrimitive;
  const decimal = /^decimal\(\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)$/.exec(name);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (precision >= 1 && precision <= 38 && scale <= precision)
      return `decimal(${precision}, ${scale})`;
    return undefined;
  }
  const fixed = /^fixed\[(\d{1,9})\]$/.exec(name);
  if (fixed && Number(fixed[1]) > 0) return `fixed[${Number(fixed[1])}]`;
  return undefined;
}

/** Reads an Iceberg type (primitive, struct, list or map). */
export function readType(value: unknown, path: string): IcebergType {
  if (typeof value === "string") {
    const primitive = parsePrimitive(value);
    if (!primitive) throw new JsonProblem(path, `unknown or unsupported type "${value}"`);
    return primitive;
  }
  const object = readObject(value, path);
  const kind = readRequired(object, "type", path, readString);
  switch (kind) {
    case "struct":
      return { type: "struct", fields: readFields(object, path) };
    case "list":
      return {
        type: "list",
        "element-id": readRequired(object, "element-id", path, readInteger),
        element: readRequired(object, "element", path, readType),
        "element-required": readRequired(object, "element-required", path, readBoolean),
      };
    case "map":
      return {
        type: "map",
        "key-id": readRequired(object, "key-id", path, readInteger),
        key: readRequired(object, "key", path, readType),
        "value-id": readRequired(object, "value-id", path, readInteger),
        value: readRequired(object, "value", path, readType),
        "value-required": readRequired(object, "value-required", path, readBoolean),
      };
    default:
      throw new JsonProblem(`${path}.type`, `unknown nested type "${kind}"`);
  }
}

function readField(value: unknown, path: string): IcebergField {
  const object = readObject(value, path);
  const doc = readOptional(object, "doc", path, readString);
  return {
    id: readRequired(object, "id", path, readInteger),
    name: readRequired(object, "name", path, readString),
    required: readRequired(object, "required", path, readBoolean),
    type: readRequired(object, "type", path, readType),
    ...(doc === undefined ? {} : { doc }),
  };
}

function readFields(object: Readonly<Record<string, unknown>>, path: string): IcebergField[] {
  return readRequired(object, "fields", path, (v, p) => readList(v, p, readField));
}

/** Every field id of a type, nested ones (struct fields, list elements, map keys and values) included. */
export function fieldIdsOf(type: IcebergType, into: number[] = []): number[] {
  if (typeof type === "string") return into;
  if (type.type === "struct") {
    for (const field of type.fields) {
      into.push(field.id);
      fieldIdsOf(field.type, into);
    }
  } else if (type.type === "list") {
    into.push(type["element-id"]);
    fieldIdsOf(type.element, into);
  } else {
    into.push(type["key-id"], type["value-id"]);
    fieldIdsOf(type.key, into);
    fieldIdsOf(type.value, into);
  }
  return into;
}

/** The highest field id of a schema (0 for a schema without fields). */
export function highestFieldId(schema: IcebergSchema): number {
  return fieldIdsOf({ type: "struct", fields: schema.fields }).reduce((a, b) => Math.max(a, b), 0);
}

/**
 * Checks a schema's own consistency: field ids unique and positive, identifier fields present,
 * required and primitive. Returns a problem description or `undefined`.
 */
export function schemaProblem(schema: IcebergSchema): string | undefined {
  const ids = fieldIdsOf({ type: "struct", fields: schema.fields });
  const seen = new Set<number>();
  for (const id of ids) {
    if (id <= 0) return `field id ${id} is not positive`;
    if (seen.has(id)) return `field id ${id} is used more than once`;
    seen.add(id);
  }
  const names = new Set<string>();
  for (const field of schema.fields) {
    if (names.has(field.name)) return `field name "${field.name}" is used more than once`;
    names.add(field.name);
  }
  for (const id of schema["identifier-field-ids"] ?? []) {
    const field = schema.fields.find((f) => f.id === id);
    if (!field) return `identifier field ${id} is not a top-level field`;
    if (!field.required) return `identifier field "${field.name}" must be required`;
    if (typeof field.type !== "string") return `identifier field "${field.name}" must be primitive`;
  }
  return undefined;
}

/** Reads and checks a schema. */
export function readSchema(value: unknown, path: string): IcebergSchema {
  const object = readObject(value, path);
  const kind = readOptional(object, "type", path, readString) ?? "struct";
  if (kind !== "struct") throw new JsonProblem(`${path}.type`, 'a schema must be a "struct"');
  const identifiers = readOptional(object, "identifier-field-ids", path, (v, p) =>
    readList(v, p, readInteger),
  );
  const schema: IcebergSchema = {
    type: "struct",
    "schema-id": readRequired(object, "schema-id", path, readInteger),
    ...(identifiers === undefined ? {} : { "identifier-field-ids": identifiers }),
    fields: readFields(object, path),
  };
  const problem = schemaProblem(schema);
  if (problem) throw new JsonProblem(path, problem);
  return schema;
}

function readPartitionField(value: unknown, path: string): PartitionField {
  const object = readObject(value, path);
  return {
    "source-id": readRequired(object, "source-id", path, readInteger),
    "field-id": readRequired(object, "field-id", path, readInteger),
    name: readRequired(object, "name", path, readString),
    transform: readRequired(object, "transform", path, readString),
  };
}

/** Reads a partition spec (object form with `spec-id`). */
export function readPartitionSpec(value: unknown, path: string): PartitionSpec {
  const object = readObject(value, path);
  return {
    "spec-id": readRequired(object, "spec-id", path, readInteger),
    fields: readRequired(object, "fields", path, (v, p) => readList(v, p, readPartitionField)),
  };
}

function readSortField(value: unknown, path: string): SortField {
  const object = readObject(value, path);
  const direction = readRequired(object, "direction", path, readString);
  if (direction !== "asc" && direction !== "desc")
    throw new JsonProblem(`${path}.direction`, `must be "asc" or "desc", not "${direction}"`);
  const nullOrder = readRequired(object, "null-order", path, readString);
  if (nullOrder !== "nulls-first" && nullOrder !== "nulls-last")
    throw new JsonProblem(`${path}.null-order`, `must be "nulls-first" or "nulls-last"`);
  return {
    "source-id": readRequired(object, "source-id", path, readInteger),
    transform: readRequired(object, "transform", path, readString),
    direction,
    "null-order": nullOrder,
  };
}

/** Reads a sort order. */
export function readSortOrder(value: unknown, path: string): SortOrder {
  const object = readObject(value, path);
  return {
    "order-id": readRequired(object, "order-id", path, readInteger),
    fields: readRequired(object, "fields", path, (v, p) => readList(v, p, readSortField)),
  };
}
