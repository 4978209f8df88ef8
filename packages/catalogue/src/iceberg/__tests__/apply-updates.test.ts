import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { bucketSpec, todoSchema } from "../../__tests__/support/fixtures.js";
import type { TableUpdate } from "../../catalogue/updates.js";
import {
  applyUpdates,
  checkRequirements,
  createTableMetadata,
  currentSchema,
  currentSnapshot,
  snapshotAsOf,
} from "../metadata.js";
import type { Snapshot, TableMetadata } from "../types.js";

const created = () =>
  unwrapOrThrow(
    createTableMetadata({
      location: "s3://bucket/wh/lake/todos/",
      schema: todoSchema,
      partitionSpec: bucketSpec(16),
      uuid: "4f7c1c5e-8e8e-4b7a-9d7e-4b1d2c3a4f5e",
      now: 1_000,
    }),
  );

const snapshot = (id: number, sequence: number, parent?: number): Snapshot => ({
  "snapshot-id": id,
  ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
  "sequence-number": sequence,
  "timestamp-ms": 2_000 + sequence,
  "manifest-list": `s3://bucket/wh/lake/todos/metadata/snap-${id}.avro`,
  summary: { operation: "append" },
});

const commit = (m: TableMetadata, id: number, sequence: number, parent?: number): TableMetadata =>
  unwrapOrThrow(
    applyUpdates(
      m,
      [
        { action: "add-snapshot", snapshot: snapshot(id, sequence, parent) },
        { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": id, type: "branch" },
      ],
      { now: 5_000 },
    ),
  );

describe("requirements", () => {
  const m = commit(created(), 7, 1);
  it("hold when the table is as asserted", () => {
    expect(
      checkRequirements(m, [
        { type: "assert-table-uuid", uuid: m["table-uuid"] },
        { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": 7 },
        { type: "assert-ref-snapshot-id", ref: "audit", "snapshot-id": null },
        { type: "assert-current-schema-id", "current-schema-id": 0 },
        { type: "assert-last-assigned-field-id", "last-assigned-field-id": 5 },
        { type: "assert-last-assigned-partition-id", "last-assigned-partition-id": 1000 },
        { type: "assert-default-spec-id", "default-spec-id": 0 },
        { type: "assert-default-sort-order-id", "default-sort-order-id": 0 },
      ]).ok,
    ).toBe(true);
    expect(checkRequirements(null, [{ type: "assert-create" }]).ok).toBe(true);
  });

  it("fail with COMMIT_CONFLICT naming the requirement", () => {
    const r = checkRequirements(m, [
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null },
    ]);
    expect(r.ok || [r.error.code, r.error.message]).toEqual([
      "COMMIT_CONFLICT",
      expect.stringMatching(/assert-ref-snapshot-id/),
    ]);
    expect(checkRequirements(m, [{ type: "assert-create" }]).ok).toBe(false);
    expect(checkRequirements(m, [{ type: "assert-table-uuid", uuid: "other" }]).ok).toBe(false);
  });

  it("refuse an unknown requirement type as INVALID_INPUT", () => {
    const r = checkRequirements(m, [{ type: "assert-everything" } as never]);
    expect(r.ok || r.error.code).toBe("INVALID_INPUT");
  });
});

describe("updates", () => {
  it("add-snapshot and set-snapshot-ref on main move the current snapshot and log it", () => {
    const one = commit(created(), 7, 1);
    const two = commit(one, 8, 2, 7);
    expect(two["current-snapshot-id"]).toBe(8);
    expect(two["last-sequence-number"]).toBe(2);
    expect(two["last-updated-ms"]).toBe(2_002);
    expect(two.refs).toEqual({ main: { "snapshot-id": 8, type: "branch" } });
    expect(two["snapshot-log"]).toEqual([
      { "timestamp-ms": 2_001, "snapshot-id": 7 },
      { "timestamp-ms": 2_002, "snapshot-id": 8 },
    ]);
    expect(currentSnapshot(two)?.["snapshot-id"]).toBe(8);
    expect(snapshotAsOf(two, 2_001)?.["snapshot-id"]).toBe(7);
    expect(snapshotAsOf(two, 2_000)).toBeUndefined();
  });

  it("refuse a snapshot whose sequence number is not above the last one, as a conflict", () => {
    const one = commit(created(), 7, 1);
    const r = applyUpdates(one, [{ action: "add-snapshot", snapshot: snapshot(8, 1, 7) }]);
    expect(r.ok || r.error.code).toBe("COMMIT_CONFLICT");
  });

  it("add-schema with last-column-id, then set-current-schema -1 selects it", () => {
    const grown = {
      ...todoSchema,
      "schema-id": 5,
      fields: [
        ...todoSchema.fields,
        { id: 6, name: "due", required: false, type: "date" as const },
      ],
    };
    const m = unwrapOrThrow(
      applyUpdates(created(), [
        { action: "add-schema", schema: grown, "last-column-id": 6 },
        { action: "set-current-schema", "schema-id": -1 },
      ]),
    );
    expect(m["current-schema-id"]).toBe(1);
    expect(m["last-column-id"]).toBe(6);
    expect(currentSchema(m).fields.map((f) => f.name)).toContain("due");
    const again = unwrapOrThrow(
      applyUpdates(m, [
        { action: "add-schema", schema: grown },
        { action: "set-current-schema", "schema-id": -1 },
      ]),
    );
    expect(again.schemas).toHaveLength(2);
  });

  it("set-current-schema -1 without an added schema is invalid", () => {
    const r = applyUpdates(created(), [{ action: "set-current-schema", "schema-id": -1 }]);
    expect(r.ok || r.error.code).toBe("INVALID_INPUT");
  });

  it("add-spec, set-default-spec, add-sort-order and set-default-sort-order", () => {
    const spec = {
      "spec-id": 9,
      fields: [{ "source-id": 4, "field-id": 1001, name: "priority_t", transform: "truncate[10]" }],
    };
    const order = {
      "order-id": 3,
      fields: [
        {
          "source-id": 1,
          transform: "identity",
          direction: "asc" as const,
          "null-order": "nulls-first" as const,
        },
      ],
    };
    const m = unwrapOrThrow(
      applyUpdates(created(), [
        { action: "add-spec", spec },
        { action: "set-default-spec", "spec-id": -1 },
        { action: "add-sort-order", "sort-order": order },
        { action: "set-default-sort-order", "sort-order-id": -1 },
      ]),
    );
    expect(m["default-spec-id"]).toBe(1);
    expect(m["last-partition-id"]).toBe(1001);
    expect(m["default-sort-order-id"]).toBe(1);
  });

  it("remove-snapshots drops them from snapshots, refs and the snapshot log", () => {
    const two = commit(commit(created(), 7, 1), 8, 2, 7);
    const tagged = unwrapOrThrow(
      applyUpdates(two, [
        { action: "set-snapshot-ref", "ref-name": "v1", "snapshot-id": 7, type: "tag" },
      ]),
    );
    const m = unwrapOrThrow(
      applyUpdates(tagged, [{ action: "remove-snapshots", "snapshot-ids": [7] }]),
    );
    expect(m.snapshots?.map((s) => s["snapshot-id"])).toEqual([8]);
    expect(Object.keys(m.refs ?? {})).toEqual(["main"]);
    expect(m["snapshot-log"]).toEqual([{ "timestamp-ms": 2_002, "snapshot-id": 8 }]);
    const none = unwrapOrThrow(
      applyUpdates(m, [{ action: "remove-snapshots", "snapshot-ids": [8] }]),
    );
    expect(none["current-snapshot-id"]).toBeNull();
    expect(none.refs).toEqual({});
  });

  it("remove-snapshot-ref of main clears the current snapshot", () => {
    const m = unwrapOrThrow(
      applyUpdates(commit(created(), 7, 1), [
        { action: "remove-snapshot-ref", "ref-name": "main" },
      ]),
    );
    expect(m["current-snapshot-id"]).toBeNull();
  });

  it("set and remove properties, set-location, assign-uuid, upgrade-format-version 2", () => {
    const m = unwrapOrThrow(
      applyUpdates(created(), [
        { action: "set-properties", updates: { a: "1", b: "2" } },
        { action: "remove-properties", removals: ["a"] },
        { action: "set-location", location: "s3://other/place/" },
        { action: "assign-uuid", uuid: "uuid-2" },
        { action: "upgrade-format-version", "format-version": 2 },
      ]),
    );
    expect(m.properties).toEqual({ b: "2" });
    expect(m.location).toBe("s3://other/place");
    expect(m["table-uuid"]).toBe("uuid-2");
  });

  it("refuse an unknown action and malformed updates as INVALID_INPUT, leaving the input alone", () => {
    const m = created();
    const before = JSON.stringify(m);
    for (const update of [
      { action: "drop-everything" },
      { action: "add-snapshot", snapshot: { "snapshot-id": "x" } },
      { action: "set-snapshot-ref", "ref-name": "main", "snapshot-id": 404, type: "branch" },
      { action: "set-properties", updates: { a: 1 } },
      { action: "upgrade-format-version", "format-version": 3 },
    ]) {
      const r = applyUpdates(m, [update as unknown as TableUpdate]);
      expect(r.ok || r.error.code).toBe("INVALID_INPUT");
    }
    expect(JSON.stringify(m)).toBe(before);
  });
});
