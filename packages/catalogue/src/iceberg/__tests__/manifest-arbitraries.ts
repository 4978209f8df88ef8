import { Readable } from "node:stream";
// @ts-expect-error avro-js ships no types; its files module is the Node reader without extras.
import avroFiles from "avro-js/lib/files.js";
import fc from "fast-check";
import type { DataFile, ManifestEntry, ManifestFile } from "../content-file.js";

// Longs are JavaScript numbers: safe integers only (2^53 - 2 keeps a margin).
const safe = fc.integer({ min: 0, max: 2 ** 53 - 2 });
const bytes = fc.uint8Array({ maxLength: 12 });
const fieldIds = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 4 });
const intMap = <T>(values: fc.Arbitrary<T>) =>
  fieldIds.chain((ids) =>
    fc.tuple(...ids.map(() => values)).map((vs) => new Map(ids.map((id, i) => [id, vs[i] as T]))),
  );
const opt = <K extends string, T>(key: K, a: fc.Arbitrary<T>) =>
  fc
    .option(a, { nil: undefined })
    .map((v) => (v === undefined ? {} : { [key]: v }) as { [P in K]?: T });

export function dataFileArbitrary(content: 0 | 1 | 2): fc.Arbitrary<DataFile> {
  return fc
    .tuple(
      fc.webUrl(),
      fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
      safe,
      safe,
      fc.tuple(
        opt("columnSizes", intMap(safe)),
        opt("valueCounts", intMap(safe)),
        opt("nullValueCounts", intMap(safe)),
      ),
      fc.tuple(
        opt("nanValueCounts", intMap(safe)),
        opt("lowerBounds", intMap(bytes)),
        opt("upperBounds", intMap(bytes)),
      ),
      fc.tuple(
        opt("keyMetadata", bytes),
        opt("splitOffsets", fc.array(safe, { maxLength: 3 })),
        opt("sortOrderId", fc.nat(5)),
      ),
      opt("referencedDataFile", fc.webUrl()),
      fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
    )
    .map(([filePath, bucket, recordCount, fileSizeInBytes, a, b, c, referenced, equalityIds]) => ({
      content,
      filePath,
      fileFormat: "PARQUET",
      partition: { row_id_bucket: bucket },
      recordCount,
      fileSizeInBytes,
      ...a[0],
      ...a[1],
      ...a[2],
      ...b[0],
      ...b[1],
      ...b[2],
      ...c[0],
      ...c[1],
      ...c[2],
      ...(content === 1 ? referenced : {}),
      ...(content === 2 ? { equalityIds } : {}),
    }));
}

export function entryArbitrary(content: "data" | "deletes"): fc.Arbitrary<ManifestEntry> {
  const file =
    content === "data"
      ? dataFileArbitrary(0)
      : fc.oneof(dataFileArbitrary(1), dataFileArbitrary(2));
  return fc
    .record({
      status: fc.constantFrom(0, 1, 2),
      snapshotId: fc.option(safe, { nil: null }),
      seq: safe,
      fileSeq: safe,
      inherit: fc.boolean(),
      dataFile: file,
    })
    .map((r) => ({
      status: r.status as 0 | 1 | 2,
      snapshotId: r.snapshotId,
      sequenceNumber: r.status === 1 && r.inherit ? null : r.seq,
      fileSequenceNumber: r.status === 1 && r.inherit ? null : r.fileSeq,
      dataFile: r.dataFile,
    }));
}

export const manifestFileArbitrary: fc.Arbitrary<ManifestFile> = fc
  .record({
    manifestPath: fc.webUrl(),
    manifestLength: safe,
    partitionSpecId: fc.nat(3),
    content: fc.constantFrom(0, 1),
    sequenceNumber: safe,
    minSequenceNumber: safe,
    addedSnapshotId: safe,
    addedFilesCount: fc.nat(1000),
    existingFilesCount: fc.nat(1000),
    deletedFilesCount: fc.nat(1000),
    addedRowsCount: safe,
    existingRowsCount: safe,
    deletedRowsCount: safe,
    partitions: fc.option(
      fc.array(
        fc.record({
          containsNull: fc.boolean(),
          x: fc.tuple(
            opt("containsNan", fc.boolean()),
            opt("lowerBound", bytes),
            opt("upperBound", bytes),
          ),
        }),
      ),
      { nil: undefined },
    ),
    key: opt("keyMetadata", bytes),
  })
  .map(({ partitions, key, ...m }) => ({
    ...m,
    content: m.content as 0 | 1,
    ...(partitions === undefined
      ? {}
      : {
          partitions: partitions.map((p) => ({
            containsNull: p.containsNull,
            ...p.x[0],
            ...p.x[1],
            ...p.x[2],
          })),
        }),
    ...key,
  }));

/** Decodes a container with avro-js, a second, independent Avro implementation. */
export async function avroJsDecode(
  input: Uint8Array,
): Promise<{ records: unknown[]; meta: Record<string, string> }> {
  const decoder = new avroFiles.streams.BlockDecoder();
  const records: unknown[] = [];
  let meta: Record<string, string> = {};
  decoder.on(
    "metadata",
    (_type: unknown, _codec: unknown, header: { meta: Record<string, Uint8Array> }) => {
      meta = Object.fromEntries(
        Object.entries(header.meta).map(([k, v]) => [k, Buffer.from(v).toString("utf8")]),
      );
    },
  );
  await new Promise((resolve, reject) => {
    Readable.from([Buffer.from(input)])
      .pipe(decoder)
      .on("data", (r: unknown) => records.push(r))
      .on("end", resolve)
      .on("error", reject);
  });
  return { records, meta };
}
