/**
 * @module iceberg/metadata-files
 * Where metadata files go and how they chain: `{location}/metadata/{version:05d}-{uuid}.metadata.json`
 * (the reference implementation's names; version 0 at creation, +1 per commit), and the
 * metadata log that lists earlier files.
 */
import type { MetadataLogEntry, TableMetadata } from "./types.js";

/** Table property capping the metadata log (the reference implementation's name and default). */
export const PREVIOUS_VERSIONS_MAX = "write.metadata.previous-versions-max";
const DEFAULT_PREVIOUS_VERSIONS = 100;

/** The location of metadata file number `version` of a table at `tableLocation`. */
export function metadataFileLocation(
  tableLocation: string,
  version: number,
  uuid: string = crypto.randomUUID(),
): string {
  const base = tableLocation.replace(/\/+$/, "");
  return `${base}/metadata/${String(version).padStart(5, "0")}-${uuid}.metadata.json`;
}

/**
 * The version number in a metadata file's name (`00003-….metadata.json` or `v3.metadata.json`),
 * or `undefined` for a name in neither form.
 */
export function metadataVersion(location: string): number | undefined {
  const name = location.slice(location.lastIndexOf("/") + 1);
  const match = /^(\d+)-.*\.metadata\.json$/.exec(name) ?? /^v(\d+)\.metadata\.json$/.exec(name);
  if (!match) return undefined;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) ? version : undefined;
}

/** The location of the metadata file that follows `previous` for a table now at `tableLocation`. */
export function nextMetadataLocation(tableLocation: string, previous: string): string {
  return metadataFileLocation(tableLocation, (metadataVersion(previous) ?? 0) + 1);
}

/**
 * `next` with the file it replaces appended to its metadata log (timestamped with the previous
 * metadata's `last-updated-ms`), trimmed to the table's `write.metadata.previous-versions-max`
 * most recent entries (100 by default).
 */
export function withMetadataLog(
  next: TableMetadata,
  previous: TableMetadata,
  previousLocation: string,
): TableMetadata {
  const configured = Number(next.properties?.[PREVIOUS_VERSIONS_MAX]);
  const max =
    Number.isSafeInteger(configured) && configured >= 1 ? configured : DEFAULT_PREVIOUS_VERSIONS;
  const entry: MetadataLogEntry = {
    "timestamp-ms": previous["last-updated-ms"],
    "metadata-file": previousLocation,
  };
  const log = [...(next["metadata-log"] ?? []), entry];
  return { ...next, "metadata-log": log.slice(Math.max(0, log.length - max)) };
}
