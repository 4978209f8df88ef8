import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketSpec, todoSchema } from "../../__tests__/support/fixtures.js";
import { writeAvroContainer } from "../avro/avro-container.js";
import type { DataFile, ManifestEntry } from "../content-file.js";
import { readManifest, writeManifest } from "../manifest.js";
import { avroJsDecode, entryArbitrary } from "./manifest-arbitraries.js";

const spec = bucketSpec(16);

describe("manifests", () => {
  it("round-trip any entries, in data and delete manifests, with either codec", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom("data" as const, "deletes" as const)
          .chain((content) =>
            fc.tuple(
              fc.constant(content),
              fc.array(entryArbitrary(content), { maxLength: 5 }),
              fc.constantFrom("null" as const, "deflate" as const),
            ),
          ),
        async ([content, entries, codec]) => {
          const written = unwrapOrThrow(
            await writeManifest({ schema: todoSchema, spec, content, entries, codec }),
          );
          const read = unwrapOrThrow(await readManifest(written));
          expect(read.entries).toEqual(entries);
          expect(read).toMatchObject({
            content,
            formatVersion: 2,
            specId: 0,
            partitionFields: spec.fields,
            schema: todoSchema,
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("carry the spec's key-value metadata and field ids, read by avro-js", async () => {
    const entry: ManifestEntry = {
      status: 1,
      snapshotId: 42,
      sequenceNumber: null,
      fileSequenceNumber: null,
      dataFile: {
        content: 2,
        filePath: "s3://b/t/data/d.parquet",
        fileFormat: "PARQUET",
        partition: { row_id_bucket: 3 },
        recordCount: 2,
        fileSizeInBytes: 10,
        equalityIds: [1],
      },
    };
    for (const codec of ["null", "deflate"] as const) {
      const written = unwrapOrThrow(
        await writeManifest({
          schema: todoSchema,
          spec,
          content: "deletes",
          entries: [entry],
          codec,
        }),
      );
      const { records, meta } = await avroJsDecode(written);
      expect(meta).toMatchObject({
        "avro.codec": codec,
        "schema-id": "0",
        "partition-spec-id": "0",
        "format-version": "2",
        content: "deletes",
      });
      expect(JSON.parse(meta.schema ?? "")).toEqual(todoSchema);
      expect(JSON.parse(meta["partition-spec"] ?? "")).toEqual(spec.fields);
      const avroSchema = JSON.parse(meta["avro.schema"] ?? "");
      expect(avroSchema.name).toBe("manifest_entry");
      expect(
        avroSchema.fields.map((f: { name: string; "field-id": number }) => [f.name, f["field-id"]]),
      ).toEqual([
        ["status", 0],
        ["snapshot_id", 1],
        ["sequence_number", 3],
        ["file_sequence_number", 4],
        ["data_file", 2],
      ]);
      const partition = avroSchema.fields[4].type.fields.find(
        (f: { name: string }) => f.name === "partition",
      );
      expect(partition.type.fields).toEqual([
        { name: "row_id_bucket", type: ["null", "int"], default: null, "field-id": 1000 },
      ]);
      expect(records).toEqual([
        expect.objectContaining({
          status: 1,
          snapshot_id: { long: 42 },
          sequence_number: null,
          data_file: expect.objectContaining({
            content: 2,
            file_path: "s3://b/t/data/d.parquet",
            partition: { row_id_bucket: { int: 3 } },
            equality_ids: { array: [1] },
          }),
        }),
      ]);
    }
  });

  it("refuse entries that do not belong: a delete file in a data manifest, equality deletes without ids, existing entries without sequence numbers, unknown partition fields", async () => {
    const base: DataFile = {
      content: 0,
      filePath: "s3://b/x",
      fileFormat: "PARQUET",
      partition: { row_id_bucket: 1 },
      recordCount: 1,
      fileSizeInBytes: 1,
    };
    const cases: [string, ManifestEntry][] = [
      [
        "deletes",
        {
          status: 1,
          snapshotId: 1,
          sequenceNumber: null,
          fileSequenceNumber: null,
          dataFile: base,
        },
      ],
      [
        "deletes",
        {
          status: 1,
          snapshotId: 1,
          sequenceNumber: null,
          fileSequenceNumber: null,
          dataFile: { ...base, content: 2 },
        },
      ],
      [
        "data",
        {
          status: 0,
          snapshotId: 1,
          sequenceNumber: null,
          fileSequenceNumber: null,
          dataFile: base,
        },
      ],
      [
        "data",
        {
          status: 1,
          snapshotId: 1,
          sequenceNumber: null,
          fileSequenceNumber: null,
          dataFile: { ...base, partition: { other: 1 } },
        },
      ],
      [
        "data",
        {
          status: 1,
          snapshotId: 1,
          sequenceNumber: null,
          fileSequenceNumber: null,
          dataFile: { ...base, partition: { row_id_bucket: "x" } },
        },
      ],
    ];
    for (const [content, entry] of cases) {
      const r = await writeManifest({
        schema: todoSchema,
        spec,
        content: content as "data" | "deletes",
        entries: [entry],
      });
      expect(r.ok || r.error.code).toBe("INVALID_INPUT");
    }
  });

  it("reading bytes that are not Avro, truncated files and corrupted sync markers gives INVALID_INPUT", async () => {
    expect(await readManifest(new TextEncoder().encode('{"not": "avro"}'))).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    const good = unwrapOrThrow(
      await writeManifest({ schema: todoSchema, spec, content: "data", entries: [] }),
    );
    expect((await readManifest(good)).ok).toBe(true);
    expect((await readManifest(good.subarray(0, 40))).ok).toBe(false);
    const withEntry = unwrapOrThrow(
      await writeManifest({
        schema: todoSchema,
        spec,
        content: "data",
        entries: [
          {
            status: 1,
            snapshotId: 1,
            sequenceNumber: null,
            fileSequenceNumber: null,
            dataFile: {
              content: 0,
              filePath: "s3://b/x",
              fileFormat: "PARQUET",
              partition: { row_id_bucket: 1 },
              recordCount: 1,
              fileSizeInBytes: 1,
            },
          },
        ],
      }),
    );
    const corrupted = withEntry.slice();
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] as number) ^ 0xff;
    expect(await readManifest(corrupted)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/sync marker/) },
    });
    const wrongShape = unwrapOrThrow(
      await writeAvroContainer(
        { type: "record", name: "x", fields: [{ name: "a", type: "int" }] },
        [{ a: 1 }],
      ),
    );
    expect(await readManifest(wrongShape)).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
  });
});
