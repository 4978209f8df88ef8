/**
 * @module lake/metadata-io
 * Reading and writing table metadata files through a {@link LakeLocation}, validated both ways.
 */
import type { Result } from "@lakesync/core";
import type { CatalogueError } from "../errors.js";
import { parseTableMetadata, serialiseTableMetadata } from "../iceberg/metadata-json.js";
import type { TableMetadata } from "../iceberg/types.js";
import type { LakeLocation } from "./lake-location.js";

/**
 * Reads and parses the metadata file at `uri`. `Err(CatalogueError)`: `CATALOGUE_UNAVAILABLE`
 * when it cannot be read, `INVALID_INPUT` when it is not valid v2 metadata or outside the
 * warehouse.
 */
export async function readMetadataFile(
  location: LakeLocation,
  uri: string,
): Promise<Result<TableMetadata, CatalogueError>> {
  const bytes = await location.read(uri);
  if (!bytes.ok) return bytes;
  return parseTableMetadata(bytes.value);
}

/** Validates, serialises and writes `metadata` to `uri`. */
export async function writeMetadataFile(
  location: LakeLocation,
  uri: string,
  metadata: TableMetadata,
): Promise<Result<void, CatalogueError>> {
  const text = serialiseTableMetadata(metadata);
  if (!text.ok) return text;
  return location.write(uri, new TextEncoder().encode(text.value));
}
