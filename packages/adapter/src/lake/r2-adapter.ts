/**
 * @module lake/r2-adapter
 * A lake in a Cloudflare R2 bucket, through the Worker binding.
 */
import { AdapterError, Err, Ok, type Result } from "@lakesync/core";
import {
  checkKey,
  checkRange,
  type LakeAdapter,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectUpload,
  rangeOutside,
} from "./lake-adapter.js";
import { bufferedUpload, MIN_PART_BYTES, multipartUpload } from "./multipart.js";

/** A part of an R2 multipart upload, as the binding returns it. */
export interface R2UploadedPartLike {
  readonly partNumber: number;
  readonly etag: string;
}

/** The parts of the binding's `R2MultipartUpload` the adapter uses. */
export interface R2MultipartUploadLike {
  uploadPart(partNumber: number, value: ArrayBuffer | ArrayBufferView): Promise<R2UploadedPartLike>;
  complete(parts: R2UploadedPartLike[]): Promise<unknown>;
  abort(): Promise<void>;
}

/** The parts of the Workers `R2Bucket` binding the adapter uses (declared here to avoid a dependency on workers-types). */
export interface R2BucketLike {
  put(
    key: string,
    value: ArrayBuffer | ArrayBufferView,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>;
  get(
    key: string,
    options?: { range?: { offset: number; length: number } },
  ): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  head(key: string): Promise<{ size: number; uploaded: Date } | null>;
  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    objects: readonly { key: string; size: number; uploaded: Date }[];
    truncated: boolean;
    cursor?: string;
  }>;
  delete(keys: string | string[]): Promise<void>;
  /** Multipart uploads (every R2 binding has them; optional so that simple fakes need not). */
  createMultipartUpload?(
    key: string,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<R2MultipartUploadLike>;
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
  readonly #partBytes: number;

  /**
   * `partBytes`: the part size of streamed uploads (default 5 MiB, R2's minimum: a Worker's
   * memory is tight, and an upload holds up to two parts).
   */
  constructor(bucket: R2BucketLike, partBytes = MIN_PART_BYTES) {
    this.#bucket = bucket;
    this.#partBytes = Math.max(MIN_PART_BYTES, partBytes);
  }

  /**
   * An R2 multipart upload (created with the first full part; all parts but the last of one
   * size, as R2 requires), or one put when the object is smaller than a part or the binding has
   * no multipart API.
   */
  async putObjectStream(
    path: string,
    contentType?: string,
  ): Promise<Result<ObjectUpload, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    const bucket = this.#bucket;
    const putWhole = async (data: Uint8Array) => {
      const put = await this.putObject(path, data, contentType);
      if (!put.ok) throw put.error;
    };
    if (!bucket.createMultipartUpload)
      return Ok(bufferedUpload((data) => this.putObject(path, data, contentType)));
    const create = bucket.createMultipartUpload.bind(bucket);
    let upload: R2MultipartUploadLike | undefined;
    const current = () => {
      if (!upload) throw new Error("the multipart upload was not created");
      return upload;
    };
    return Ok(
      multipartUpload<R2UploadedPartLike>(
        {
          create: async () => {
            upload = await create(
              path,
              contentType ? { httpMetadata: { contentType } } : undefined,
            );
          },
          uploadPart: (n, data) => current().uploadPart(n, data),
          complete: async (parts) => {
            await current().complete([...parts]);
          },
          abort: () => current().abort(),
          putWhole,
        },
        this.#partBytes,
        (action, cause) => failure(action, path, cause),
      ),
    );
  }

  async getObjectRange(
    path: string,
    offset: number,
    length: number,
  ): Promise<Result<Uint8Array, AdapterError>> {
    const bad = checkKey(path) ?? checkRange(offset, length);
    if (bad) return Err(bad);
    try {
      const head = await this.#bucket.head(path);
      if (!head) return Err(new ObjectNotFoundError(path));
      if (offset >= head.size) return Err(rangeOutside(path, offset, head.size));
      const object = await this.#bucket.get(path, {
        range: { offset, length: Math.min(length, head.size - offset) },
      });
      if (!object) return Err(new ObjectNotFoundError(path));
      return Ok(new Uint8Array(await object.arrayBuffer()));
    } catch (cause) {
      return Err(failure("get", path, cause));
    }
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
