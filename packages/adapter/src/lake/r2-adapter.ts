/**
 * @module lake/r2-adapter
 * A lake in a Cloudflare R2 bucket, through the Worker binding.
 */
import { AdapterError, Err, Ok, type Result } from "@lakesync/core";
import {
  checkKey,
  type LakeAdapter,
  type ObjectInfo,
  ObjectNotFoundError,
} from "./lake-adapter.js";

/** The parts of the Workers `R2Bucket` binding the adapter uses (declared here to avoid a dependency on workers-types). */
export interface R2BucketLike {
  put(
    key: string,
    value: ArrayBuffer | ArrayBufferView,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  head(key: string): Promise<{ size: number; uploaded: Date } | null>;
  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    objects: readonly { key: string; size: number; uploaded: Date }[];
    truncated: boolean;
    cursor?: string;
  }>;
  delete(keys: string | string[]): Promise<void>;
}

function failure(action: string, path: string, cause: unknown): AdapterError {
  const message = (cause as { message?: string }).message ?? String(cause);
  return new AdapterError(`R2 ${action} "${path}" failed: ${message}`, { cause });
}

/**
 * A {@link LakeAdapter} over an R2 binding (`env.LAKE` in a Worker or Durable Object). Listing
 * follows R2's cursors past 1000 keys; batch deletes go 1000 keys per call.
 */
export class R2Adapter implements LakeAdapter {
  readonly #bucket: R2BucketLike;

  constructor(bucket: R2BucketLike) {
    this.#bucket = bucket;
  }

  async putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      await this.#bucket.put(
        path,
        data,
        contentType ? { httpMetadata: { contentType } } : undefined,
      );
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("put", path, cause));
    }
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      const object = await this.#bucket.get(path);
      if (!object) return Err(new ObjectNotFoundError(path));
      return Ok(new Uint8Array(await object.arrayBuffer()));
    } catch (cause) {
      return Err(failure("get", path, cause));
    }
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      const head = await this.#bucket.head(path);
      if (!head) return Err(new ObjectNotFoundError(path));
      return Ok({ size: head.size, lastModified: head.uploaded });
    } catch (cause) {
      return Err(failure("head", path, cause));
    }
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const bad = checkKey(prefix, true);
    if (bad) return Err(bad);
    const out: ObjectInfo[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.#bucket.list({
          prefix,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        for (const o of page.objects)
          out.push({ key: o.key, size: o.size, lastModified: o.uploaded });
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
    } catch (cause) {
      return Err(failure("list", prefix, cause));
    }
    return Ok(out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      await this.#bucket.delete(path);
      return Ok(undefined);
    } catch (cause) {
      return Err(failure("delete", path, cause));
    }
  }

  async deleteObjects(paths: readonly string[]): Promise<Result<void, AdapterError>> {
    for (const path of paths) {
      const bad = checkKey(path);
      if (bad) return Err(bad);
    }
    for (let i = 0; i < paths.length; i += 1000) {
      const batch = paths.slice(i, i + 1000);
      try {
        await this.#bucket.delete(batch);
      } catch (cause) {
        return Err(failure("batch delete", batch[0] ?? "", cause));
      }
    }
    return Ok(undefined);
  }
}
