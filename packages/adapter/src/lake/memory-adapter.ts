/**
 * @module lake/memory-adapter
 * A lake in memory: for unit tests and the browser.
 */
import { type AdapterError, Err, Ok, type Result } from "@lakesync/core";
import {
  checkKey,
  checkRange,
  type LakeAdapter,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectUpload,
  rangeOutside,
} from "./lake-adapter.js";
import { bufferedUpload } from "./multipart.js";

/** Keeps objects in a `Map`; data is copied in and out so callers cannot alias it. */
export class MemoryAdapter implements LakeAdapter {
  readonly #objects = new Map<string, { data: Uint8Array; lastModified: Date }>();

  async putObject(path: string, data: Uint8Array): Promise<Result<void, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    this.#objects.set(path, { data: data.slice(), lastModified: new Date() });
    return Ok(undefined);
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    const found = this.#objects.get(path);
    return found ? Ok(found.data.slice()) : Err(new ObjectNotFoundError(path));
  }

  async putObjectStream(path: string): Promise<Result<ObjectUpload, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    return Ok(bufferedUpload((data) => this.putObject(path, data)));
  }

  async getObjectRange(
    path: string,
    offset: number,
    length: number,
  ): Promise<Result<Uint8Array, AdapterError>> {
    const bad = checkKey(path) ?? checkRange(offset, length);
    if (bad) return Err(bad);
    const found = this.#objects.get(path);
    if (!found) return Err(new ObjectNotFoundError(path));
    if (offset >= found.data.length) return Err(rangeOutside(path, offset, found.data.length));
    return Ok(found.data.slice(offset, offset + length));
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    const found = this.#objects.get(path);
    return found
      ? Ok({ size: found.data.byteLength, lastModified: found.lastModified })
      : Err(new ObjectNotFoundError(path));
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const bad = checkKey(prefix, true);
    if (bad) return Err(bad);
    const out: ObjectInfo[] = [];
    for (const [key, { data, lastModified }] of this.#objects)
      if (key.startsWith(prefix)) out.push({ key, size: data.byteLength, lastModified });
    return Ok(out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    this.#objects.delete(path);
    return Ok(undefined);
  }

  async deleteObjects(paths: readonly string[]): Promise<Result<void, AdapterError>> {
    for (const path of paths) {
      const bad = checkKey(path);
      if (bad) return Err(bad);
    }
    for (const path of paths) this.#objects.delete(path);
    return Ok(undefined);
  }
}
