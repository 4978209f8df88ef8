import { unwrapOrThrow } from "@lakesync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketSpec, todoSchema } from "../../__tests__/support/fixtures.js";
import { readAvroContainer } from "../avro/avro-container.js";
import { writeManifest } from "../manifest.js";
import { readManifestList, summariseManifest, writeManifestList } from "../manifest-list.js";
import { deserialiseValue } from "../single-value.js";
import { avroJsDecode, manifestFileArbitrary } from "./manifest-arbitraries.js";

const spec = bucketSpec(16);

describe("manifest lists", () => {
  it("round-trip any manifest records, with either codec", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(manifestFileArbitrary, { maxLength: 5 }),
        fc.constantFrom("null" as const, "deflate" as const),
        async (manifests, codec) => {
          const written = unwrapOrThrow(
            await writeManifestList({
              snapshotId: 1,
              parentSnapshotId: null,
              sequenceNumber: 1,
              manifests,
              codec,
            }),
          );
          expect(unwrapOrThrow(await readManifestList(written))).toEqual(manifests);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("are read by avro-js with the manifest_file field ids", async () => {
    const manifest = unwrapOrThrow(
      summariseManifest({
        manifestPath: "s3://b/t/metadata/m.avro",
        manifestLength: 100,
        schema: todoSchema,
        spec,
        content: 0,
        addedSnapshotId: 9,
        sequenceNumber: 4,
        entries: [
          {
            status: 1,
            snapshotId: null,
            sequenceNumber: null,
            fileSequenceNumber: null,
            dataFile: {
              content: 0,
              filePath: "a",
              fileFormat: "PARQUET",
              partition: { row_id_bucket: 3 },
              recordCount: 5,
              fileSizeInBytes: 1,
            },
          },
          {
            status: 0,
            snapshotId: 2,
            sequenceNumber: 2,
            fileSequenceNumber: 2,
            dataFile: {
              content: 0,
              filePath: "b",
              fileFormat: "PARQUET",
              partition: { row_id_bucket: 9 },
              recordCount: 7,
              fileSizeInBytes: 1,
            },
          },
          {
            status: 2,
            snapshotId: 9,
            sequenceNumber: 1,
            fileSequenceNumber: 1,
            dataFile: {
              content: 0,
              filePath: "c",
              fileFormat: "PARQUET",
              partition: { row_id_bucket: null },
              recordCount: 11,
              fileSizeInBytes: 1,
            },
          },
        ],
      }),
    );
    expect(manifest).toMatchObject({
      addedFilesCount: 1,
      existingFilesCount: 1,
      deletedFilesCount: 1,
      addedRowsCount: 5,
      existingRowsCount: 7,
      deletedRowsCount: 11,
      minSequenceNumber: 2,
      sequenceNumber: 4,
    });
    const summary = manifest.partitions?.[0];
    expect(summary?.containsNull).toBe(true);
    expect(summary?.lowerBound && deserialiseValue("int", summary.lowerBound)).toBe(3);
    expect(summary?.upperBound && deserialiseValue("int", summary.upperBound)).toBe(9);
    const written = unwrapOrThrow(
      await writeManifestList({
        snapshotId: 9,
        parentSnapshotId: 2,
        sequenceNumber: 4,
        manifests: [manifest],
      }),
    );
    const { records, meta } = await avroJsDecode(written);
    expect(meta).toMatchObject({
      "snapshot-id": "9",
      "parent-snapshot-id": "2",
      "sequence-number": "4",
      "format-version": "2",
    });
    expect(
      JSON.parse(meta["avro.schema"] ?? "").fields.map(
        (f: { "field-id": number }) => f["field-id"],
      ),
    ).toEqual([500, 501, 502, 517, 515, 516, 503, 504, 505, 506, 512, 513, 514, 507, 519]);
    expect(records[0]).toMatchObject({
      manifest_path: "s3://b/t/metadata/m.avro",
      added_snapshot_id: 9,
      min_sequence_number: 2,
    });
  });

  it("reading something else gives INVALID_INPUT", async () => {
    expect(await readManifestList(Uint8Array.of(1, 2, 3))).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    const manifest = unwrapOrThrow(
      await writeManifest({ schema: todoSchema, spec, content: "data", entries: [] }),
    );
    expect((await readAvroContainer(manifest)).ok).toBe(true);
    const entries = unwrapOrThrow(
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
              filePath: "x",
              fileFormat: "PARQUET",
              partition: { row_id_bucket: 1 },
              recordCount: 1,
              fileSizeInBytes: 1,
            },
          },
        ],
      }),
    );
    expect(await readManifestList(entries)).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
  });
});
