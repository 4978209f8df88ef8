import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketSpec, todoSchema } from "../../__tests__/support/fixtures.js";
import {
  applyUpdates,
  createTableMetadata,
  parseTableMetadata,
  serialiseTableMetadata,
} from "../metadata.js";
import {
  metadataFileLocation,
  metadataVersion,
  nextMetadataLocation,
  withMetadataLog,
} from "../metadata-files.js";
import type { Snapshot, TableMetadata } from "../types.js";
import { tableMetadataArbitrary } from "./metadata-arbitraries.js";

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

describe("a new table's metadata", () => {
  it("is format version 2 with schema 0, spec 0, the unsorted order, no snapshots and empty logs", () => {
    const m = created();
    expect(m).toMatchObject({
      "format-version": 2,
      "table-uuid": "4f7c1c5e-8e8e-4b7a-9d7e-4b1d2c3a4f5e",
      location: "s3://bucket/wh/lake/todos",
      "last-sequence-number": 0,
      "last-column-id": 5,
      "current-schema-id": 0,
      "default-spec-id": 0,
      "last-partition-id": 1000,
      "current-snapshot-id": null,
      snapshots: [],
      "snapshot-log": [],
      "metadata-log": [],
      "sort-orders": [{ "order-id": 0, fields: [] }],
      "default-sort-order-id": 0,
      refs: {},
    });
  });

  it("gets a random uuid when none is given", () => {
    const a = unwrapOrThrow(createTableMetadata({ location: "file:///x", schema: todoSchema }));
    const b = unwrapOrThrow(createTableMetadata({ location: "file:///x", schema: todoSchema }));
    expect(a["table-uuid"]).not.toBe(b["table-uuid"]);
  });

  it("refuses duplicate field ids, partition fields without a source and unknown transforms", () => {
    const dup = {
      ...todoSchema,
      fields: [
        ...todoSchema.fields,
        { id: 1, name: "again", required: false, type: "int" as const },
      ],
    };
    expect(createTableMetadata({ location: "file:///x", schema: dup }).ok).toBe(false);
    const orphan = {
      "spec-id": 0,
      fields: [{ "source-id": 99, "field-id": 1000, name: "p", transform: "identity" }],
    };
    expect(
      createTableMetadata({ location: "file:///x", schema: todoSchema, partitionSpec: orphan }).ok,
    ).toBe(false);
    const odd = {
      "spec-id": 0,
      fields: [{ "source-id": 1, "field-id": 1000, name: "p", transform: "squash" }],
    };
    expect(
      createTableMetadata({ location: "file:///x", schema: todoSchema, partitionSpec: odd }).ok,
    ).toBe(false);
  });
});

describe("parse and serialise", () => {
  it("round-trip any valid metadata", () => {
    fc.assert(
      fc.property(tableMetadataArbitrary, (m) => {
        const text = unwrapOrThrow(serialiseTableMetadata(m));
        expect(unwrapOrThrow(parseTableMetadata(text))).toEqual(m);
        expect(unwrapOrThrow(parseTableMetadata(new TextEncoder().encode(text)))).toEqual(m);
      }),
      { numRuns: 200 },
    );
  });

  it("read Java's -1 for no current snapshot as null, and give a document without refs its main branch", () => {
    const m = commit(created(), 7, 1);
    const { refs: _refs, ...withoutRefs } = JSON.parse(unwrapOrThrow(serialiseTableMetadata(m)));
    expect(unwrapOrThrow(parseTableMetadata(JSON.stringify(withoutRefs))).refs).toEqual({
      main: { "snapshot-id": 7, type: "branch" },
    });
    const empty = {
      ...JSON.parse(unwrapOrThrow(serialiseTableMetadata(created()))),
      "current-snapshot-id": -1,
    };
    expect(
      unwrapOrThrow(parseTableMetadata(JSON.stringify(empty)))["current-snapshot-id"],
    ).toBeNull();
  });

  it("refuse malformed JSON, other format versions and missing fields with the field's name", () => {
    const bad = (text: string) => {
      const r = parseTableMetadata(text);
      if (r.ok) throw new Error("expected an error");
      expect(r.error.code).toBe("INVALID_INPUT");
      return r.error.message;
    };
    expect(bad("{")).toMatch(/not valid JSON/);
    expect(bad("[]")).toMatch(/expected an object/);
    const good = JSON.parse(unwrapOrThrow(serialiseTableMetadata(created())));
    expect(bad(JSON.stringify({ ...good, "format-version": 1 }))).toMatch(/format version 2/);
    const { location: _l, ...noLocation } = good;
    expect(bad(JSON.stringify(noLocation))).toMatch(/location/);
    expect(bad(JSON.stringify({ ...good, "current-schema-id": 9 }))).toMatch(/current-schema-id/);
    expect(
      bad(
        JSON.stringify({
          ...good,
          schemas: [
            { ...good.schemas[0], fields: [{ id: 1, name: "x", required: true, type: "varchar" }] },
          ],
        }),
      ),
    ).toMatch(/varchar/);
    expect(parseTableMetadata(Uint8Array.of(0xff, 0xfe)).ok).toBe(false);
  });

  it("refuse snapshot ids above 2^53 with a clear error instead of rounding them", () => {
    const m = commit(created(), 7, 1);
    const text = unwrapOrThrow(serialiseTableMetadata(m))
      .replaceAll(":7,", ":9223372036854775807,")
      .replaceAll(":7}", ":9223372036854775807}");
    const r = parseTableMetadata(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/snapshot-id: .* is not a safe integer/);
  });

  it("refuse to serialise invalid metadata", () => {
    const m = { ...created(), "current-snapshot-id": 12 };
    expect(serialiseTableMetadata(m).ok).toBe(false);
  });
});

describe("metadata files", () => {
  it("are named {version:05d}-{uuid}.metadata.json and chain through the metadata log", () => {
    const first = metadataFileLocation("s3://b/t", 0, "abc");
    expect(first).toBe("s3://b/t/metadata/00000-abc.metadata.json");
    expect(metadataVersion(first)).toBe(0);
    expect(metadataVersion("s3://b/t/metadata/v12.metadata.json")).toBe(12);
    expect(nextMetadataLocation("s3://b/t", first)).toMatch(
      /^s3:\/\/b\/t\/metadata\/00001-[0-9a-f-]{36}\.metadata\.json$/,
    );
    const m = created();
    const logged = withMetadataLog(
      { ...m, properties: { "write.metadata.previous-versions-max": "1" } },
      m,
      first,
    );
    expect(logged["metadata-log"]).toEqual([{ "timestamp-ms": 1_000, "metadata-file": first }]);
    const twice = withMetadataLog(logged, logged, "s3://b/t/metadata/00001-x.metadata.json");
    expect(twice["metadata-log"]).toHaveLength(1);
  });
});
