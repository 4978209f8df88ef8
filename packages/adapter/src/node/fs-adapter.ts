/**
 * @module node/fs-adapter
 * A lake in a local directory: the embedded default of the Node gateway.
 */
import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
} from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { AdapterError, Err, Ok, type Result } from "@lakesync/core";
import {
  checkKey,
  checkRange,
  type LakeAdapter,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectUpload,
  rangeOutside,
} from "../lake/lake-adapter.js";

const TEMP_PREFIX = ".lakesync-tmp-";

/** Options for {@link FileSystemAdapter}. */
export interface FileSystemAdapterOptions {
  /** The directory that plays the bucket; created on first write. */
  readonly root: string;
  /** fsync each object before renaming it into place (default true). */
  readonly sync?: boolean;
}

function failure(action: string, path: string, cause: unknown): AdapterError {
  const code = (cause as { code?: string }).code;
  return new AdapterError(`cannot ${action} "${path}"${code ? ` (${code})` : ""}`, { cause });
}

/**
 * A directory as a bucket. Keys map to files under the root; keys that could escape it (`..`,
 * absolute paths, NUL bytes, backslashes) are refused with `Err`. Writes are atomic: the data goes
 * to a temporary file in the same directory, is flushed to disk, then renamed over the target, so
 * readers see the old object or the new one, never a torn one.
 */
export class FileSystemAdapter implements LakeAdapter {
  readonly #root: string;
  readonly #sync: boolean;

  constructor(options: FileSystemAdapterOptions) {
    this.#root = resolve(options.root);
    this.#sync = options.sync ?? true;
  }

  /** The absolute root directory. */
  get root(): string {
    return this.#root;
  }

  #file(path: string, allowEmpty = false): Result<string, AdapterError> {
    const bad = checkKey(path, allowEmpty);
    if (bad) return Err(bad);
    const file = resolve(this.#root, ...path.split("/"));
    if (file !== this.#root && !file.startsWith(this.#root + sep))
      return Err(
        new AdapterError(`object key "${path}" escapes the root`, { code: "INVALID_KEY" }),
      );
    return Ok(file);
  }

  async putObject(path: string, data: Uint8Array): Promise<Result<void, AdapterError>> {
    const file = this.#file(path);
    if (!file.ok) return file;
    const temp = join(dirname(file.value), `${TEMP_PREFIX}${randomBytes(6).toString("hex")}`);
    try {
      await mkdir(dirname(file.value), { recursive: true });
      const handle = await open(temp, "w");
      try {
        await handle.writeFile(data);
        if (this.#sync) await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temp, file.value);
      return Ok(undefined);
    } catch (cause) {
      await rm(temp, { force: true }).catch(() => undefined);
      return Err(failure("write", path, cause));
    }
  }

  /**
   * Streams into a temporary file next to the target (named like {@link putObject}'s, so the
   * listing hides it and orphan removal finds a crashed one), flushed to disk and renamed over
   * the target on completion; aborting removes it.
   */
  async putObjectStream(path: string): Promise<Result<ObjectUpload, AdapterError>> {
    const file = this.#file(path);
    if (!file.ok) return file;
    const temp = join(dirname(file.value), `${TEMP_PREFIX}${randomBytes(6).toString("hex")}`);
    let handle: FileHandle;
    try {
      await mkdir(dirname(file.value), { recursive: true });
      handle = await open(temp, "w");
    } catch (cause) {
      return Err(failure("write", path, cause));
    }
    let over = false;
    const drop = async () => {
      over = true;
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
    };
    const closed = () => Err(new AdapterError("the upload is over", { code: "UPLOAD_CLOSED" }));
    return Ok({
      write: async (data) => {
        if (over) return closed();
        try {
          // A file handle's writeFile appends at its current position.
          await handle.writeFile(data);
          return Ok(undefined);
        } catch (cause) {
          await drop();
          return Err(failure("write", path, cause));
        }
      },
      complete: async () => {
        if (over) return closed();
        over = true;
        try {
          if (this.#sync) await handle.datasync();
          await handle.close();
          await rename(temp, file.value);
          return Ok(undefined);
        } catch (cause) {
          await drop();
          return Err(failure("write", path, cause));
        }
      },
      abort: drop,
    });
  }

  async getObjectRange(
    path: string,
    offset: number,
    length: number,
  ): Promise<Result<Uint8Array, AdapterError>> {
    const file = this.#file(path);
    if (!file.ok) return file;
    const bad = checkRange(offset, length);
    if (bad) return Err(bad);
    let handle: FileHandle | undefined;
    try {
      handle = await open(file.value, "r");
      const size = (await handle.stat()).size;
      if (offset >= size) return Err(rangeOutside(path, offset, size));
      const out = new Uint8Array(Math.min(length, size - offset));
      let at = 0;
      while (at < out.length) {
        const { bytesRead } = await handle.read(out, at, out.length - at, offset + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return Ok(out.subarray(0, at));
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR")
        return Err(new ObjectNotFoundError(path));
      return Err(failure("read", path, cause));
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const file = this.#file(path);
    if (!file.ok) return file;
    try {
      return Ok(new Uint8Array(await readFile(file.value)));
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR")
        return Err(new ObjectNotFoundError(path));
      return Err(failure("read", path, cause));
    }
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const file = this.#file(path);
    if (!file.ok) return file;
    try {
      const info = await stat(file.value);
      if (!info.isFile()) return Err(new ObjectNotFoundError(path));
      return Ok({ size: info.size, lastModified: info.mtime });
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === "ENOENT" || code === "ENOTDIR") return Err(new ObjectNotFoundError(path));
      return Err(failure("stat", path, cause));
    }
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const bad = checkKey(prefix, true);
    if (bad) return Err(bad);
    const slash = prefix.lastIndexOf("/");
    const base = slash < 0 ? this.#root : resolve(this.#root, ...prefix.slice(0, slash).split("/"));
    let entries: Dirent[];
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === "ENOENT" || code === "ENOTDIR") return Ok([]);
      return Err(failure("list", prefix, cause));
    }
    const out: ObjectInfo[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith(TEMP_PREFIX)) continue;
      const full = join(entry.parentPath, entry.name);
      const key = relative(this.#root, full).split(sep).join("/");
      if (!key.startsWith(prefix)) continue;
      try {
        const info = await stat(full);
        out.push({ key, size: info.size, lastModified: info.mtime });
      } catch {
        // Deleted while listing: not part of the result.
      }
    }
    return Ok(out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    const file = this.#file(path);
    if (!file.ok) return file;
    try {
      await rm(file.value, { force: true });
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("delete", path, cause));
    }
  }

  async deleteObjects(paths: readonly string[]): Promise<Result<void, AdapterError>> {
    for (const path of paths) {
      const file = this.#file(path);
      if (!file.ok) return file;
    }
    for (const path of paths) {
      const deleted = await this.deleteObject(path);
      if (!deleted.ok) return deleted;
    }
    return Ok(undefined);
  }
}
