/**
 * @module flush/targets/target-spec
 * Describing a flush target with plain data (`{ kind: "lake", adapter }`), as hosts configure
 * it, and turning the description into a {@link FlushTarget}.
 */
import { type FlushTarget, isRowWriter, type LakeWriter, type RowWriter } from "../flush-target.js";
import { compositeTarget } from "./composite-target.js";
import { databaseTarget } from "./database-target.js";
import { type FlushFormat, lakeFileTarget } from "./lake-file-target.js";

/** A flush target, or a plain description of one of the built-in targets. */
export type FlushTargetSpec =
  | FlushTarget
  | {
      /** Delta files in an object store. */
      readonly kind: "lake";
      readonly adapter: LakeWriter;
      /** Defaults to `parquet`. */
      readonly format?: FlushFormat;
      /** Parquet compression; defaults to `snappy`. */
      readonly compression?: "snappy" | "zstd" | "none";
    }
  | { readonly kind: "database"; readonly adapter: RowWriter }
  | {
      /**
       * Per-table routing, e.g. a `CompositeAdapter`: `todos` to PostgreSQL, the rest to the
       * lake.
       */
      readonly kind: "composite";
      readonly adapter: { adapterFor(table: string): LakeWriter | RowWriter };
      readonly format?: FlushFormat;
      readonly compression?: "snappy" | "zstd" | "none";
    };

/** The {@link FlushTarget} a spec describes (a target is returned as it is). */
export function toFlushTarget(spec: FlushTargetSpec): FlushTarget {
  if (!("kind" in spec)) return spec;
  const files = {
    ...("format" in spec && spec.format ? { format: spec.format } : {}),
    ...("compression" in spec && spec.compression ? { compression: spec.compression } : {}),
  };
  switch (spec.kind) {
    case "lake":
      return lakeFileTarget(spec.adapter, files);
    case "database":
      return databaseTarget(spec.adapter);
    case "composite": {
      const router = spec.adapter;
      return compositeTarget((table) => {
        const adapter = router.adapterFor(table);
        return isRowWriter(adapter) ? databaseTarget(adapter) : lakeFileTarget(adapter, files);
      });
    }
  }
}
