/**
 * @module lake/lake-location
 * Iceberg names every file by a full URI (`s3://bucket/warehouse/ns/table/metadata/…`,
 * `file:///srv/lake/ns/table/data/…`); LakeSync stores files through a {@link LakeAdapter}
 * whose keys are relative to its root. A {@link LakeLocation} ties a warehouse URI to an
 * adapter: the URI `{warehouse}/{key}` is the object `{key}`. URIs outside the warehouse are
 * refused, so metadata can never make LakeSync read or write elsewhere.
 */

import { bufferedUpload, checkKey, type LakeAdapter } from "@lakesync/adapter";
import { type AdapterError, Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";

/**
 * A file being written in parts ({@link LakeLocation.upload}): nobody sees it before
 * `complete`; `abort` drops it. Once either is called, or a call failed, later calls fail.
 */
export interface LakeUpload {
  write(data: Uint8Array): Promise<Result<void, CatalogueError>>;
  complete(): Promise<Result<void, CatalogueError>>;
  abort(): Promise<void>;
}

/** A warehouse URI bound to the adapter that stores its files. */
export interface LakeLocation {
  /** The warehouse URI, without a trailing slash (`s3://bucket/prefix`). */
  readonly warehouse: string;
  readonly adapter: LakeAdapter;
  /** The adapter key of a URI inside the warehouse; `Err` (`INVALID_INPUT`) for one outside it. */
  keyOf(uri: string): Result<string, CatalogueError>;
  /** The URI of an adapter key. */
  uriOf(key: string): string;
  /** The default location of a table: `{warehouse}/{namespace levels…}/{name}`. */
  tableLocation(namespace: readonly string[], name: string): string;
  /** Reads the file at `uri`; a missing or unreadable file is `CATALOGUE_UNAVAILABLE` (the adapter error is the `cause`). */
  read(uri: string): Promise<Result<Uint8Array, CatalogueError>>;
  /** Writes `data` to the file at `uri`. */
  write(uri: string, data: Uint8Array): Promise<Result<void, CatalogueError>>;
  /** Deletes the file at `uri` (a missing file is fine). */
  delete(uri: string): Promise<Result<void, CatalogueError>>;
  /**
   * Starts writing the file at `uri` in parts: through the adapter's `putObjectStream`
   * (multipart upload, temporary file), or, for an adapter without it, buffered and written
   * with one put on completion.
   */
  upload(uri: string): Promise<Result<LakeUpload, CatalogueError>>;
  /**
   * Reads `length` bytes of the file at `uri` from byte `offset` (fewer at its end): the
   * adapter's range read, or the whole file sliced for an adapter without one.
   */
  readRange(
    uri: string,
    offset: number,
    length: number,
  ): Promise<Result<Uint8Array, CatalogueError>>;
  /** The size in bytes of the file at `uri`. */
  size(uri: string): Promise<Result<number, CatalogueError>>;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Binds `warehouse` (a URI with a scheme, e.g. `file:///srv/lake`, `s3://bucket/prefix`,
 * `http://127.0.0.1:8080/lake`) to `adapter`. Returns `Err(CatalogueError)` (`INVALID_INPUT`)
 * for a warehouse that is not such a URI or has a query or fragment.
 */
export function createLakeLocation(
  warehouse: string,
  adapter: LakeAdapter,
): Result<LakeLocation, CatalogueError> {
  const base = warehouse.replace(/\/+$/, "");
  if (!SCHEME.test(base) || /[?#]/.test(base) || base.endsWith(":/") || base.endsWith(":"))
    return Err(
      new CatalogueError(
        "INVALID_INPUT",
        `the warehouse "${warehouse}" must be a URI such as file:///dir or s3://bucket/prefix`,
      ),
    );
  const keyOf = (uri: string): Result<string, CatalogueError> => {
    if (typeof uri !== "string" || !uri.startsWith(`${base}/`))
      return Err(
        new CatalogueError("INVALID_INPUT", `"${String(uri)}" is outside the warehouse ${base}`),
      );
    const key = uri.slice(base.length + 1);
    const bad = checkKey(key);
    if (bad)
      return Err(new CatalogueError("INVALID_INPUT", `"${uri}": ${bad.message}`, { cause: bad }));
    return Ok(key);
  };
  const failure = (action: string, uri: string, cause: unknown) =>
    new CatalogueError(
      "CATALOGUE_UNAVAILABLE",
      `cannot ${action} ${uri}: ${(cause as Error).message}`,
      { cause },
    );
  return Ok({
    warehouse: base,
    adapter,
    keyOf,
    uriOf: (key) => `${base}/${key}`,
    tableLocation: (namespace, name) => [base, ...namespace, name].join("/"),
    async read(uri) {
      const key = keyOf(uri);
      if (!key.ok) return key;
      const got = await adapter.getObject(key.value);
      return got.ok ? got : Err(failure("read", uri, got.error));
    },
    async write(uri, data) {
      const key = keyOf(uri);
      if (!key.ok) return key;
      const put = await adapter.putObject(key.value, data);
      return put.ok ? put : Err(failure("write", uri, put.error));
    },
    async upload(uri) {
      const key = keyOf(uri);
      if (!key.ok) return key;
      const stream = adapter.putObjectStream
        ? await adapter.putObjectStream(key.value)
        : Ok(bufferedUpload((data) => adapter.putObject(key.value, data)));
      if (!stream.ok) return Err(failure("write", uri, stream.error));
      const upload = stream.value;
      const wrap = (result: Result<void, AdapterError>): Result<void, CatalogueError> =>
        result.ok ? result : Err(failure("write", uri, result.error));
      return Ok({
        write: async (data) => wrap(await upload.write(data)),
        complete: async () => wrap(await upload.complete()),
        abort: () => upload.abort(),
      });
    },
    async readRange(uri, offset, length) {
      const key = keyOf(uri);
      if (!key.ok) return key;
      const got = adapter.getObjectRange
        ? await adapter.getObjectRange(key.value, offset, length)
        : await adapter.getObject(key.value);
      if (!got.ok) return Err(failure("read", uri, got.error));
      return Ok(adapter.getObjectRange ? got.value : got.value.slice(offset, offset + length));
    },
    async size(uri) {
      const key = keyOf(uri);
      if (!key.ok) return key;
      const head = await adapter.headObject(key.value);
      return head.ok ? Ok(head.value.size) : Err(failure("read", uri, head.error));
    },
    async delete(uri) {
      const key = keyOf(uri);
      if (!key.ok) return key;
      const gone = await adapter.deleteObject(key.value);
      return gone.ok ? gone : Err(failure("delete", uri, gone.error));
    },
  });
}
