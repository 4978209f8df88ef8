/**
 * @module node/s3-adapter
 * A lake in an S3-compatible bucket: AWS S3, MinIO, Cloudflare R2 (S3 API), s3rver.
 */
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
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
import { DEFAULT_PART_BYTES, MIN_PART_BYTES, multipartUpload } from "../lake/multipart.js";
import { s3MultipartBackend } from "./s3-multipart.js";

/** Options for {@link S3Adapter}. */
export interface S3AdapterOptions {
  readonly bucket: string;
  /** Defaults to `us-east-1` (R2 accepts `auto`). */
  readonly region?: string;
  /** For MinIO, R2 (`https://<account>.r2.cloudflarestorage.com`) or a local server. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Path-style URLs (`endpoint/bucket/key`): needed by MinIO and most local servers. */
  readonly forcePathStyle?: boolean;
  /**
   * When the SDK adds request checksums and validates response ones. `when-required` (the
   * default here) sends plain bodies, which every S3-compatible server accepts; the SDK's own
   * default, `when-supported`, sends `aws-chunked` bodies with CRC trailers that older MinIO,
   * some R2 setups and s3rver mishandle. Choose `when-supported` on AWS for end-to-end checksums.
   */
  readonly checksums?: "when-required" | "when-supported";
  /** Attempts per request, including the first (SDK default 3). */
  readonly maxAttempts?: number;
  /** Keys per listing request (1-1000, default 1000). */
  readonly listPageSize?: number;
  /**
   * The listing API: `v2` (default, ListObjectsV2) or `v1` (ListObjects with markers). s3rver
   * 3.7 crashes building V2 continuation tokens on Node 22+ (a cipher OpenSSL 3 dropped), so
   * tests against it use `v1`; AWS, MinIO and R2 support both.
   */
  readonly listApi?: "v1" | "v2";
  /** An existing client (its settings win over the ones above). */
  readonly client?: S3Client;
  /**
   * Bytes per part of a streamed upload (`putObjectStream`): default 8 MiB, at least 5 MiB (S3's
   * minimum for every part but the last).
   */
  readonly partBytes?: number;
}

function isMissing(cause: unknown): boolean {
  const e = cause as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}

function failure(action: string, path: string, cause: unknown): AdapterError {
  const e = cause as { name?: string; message?: string };
  return new AdapterError(
    `S3 ${action} "${path}" failed: ${e.name ?? "Error"}: ${e.message ?? String(cause)}`,
    { cause },
  );
}

/**
 * A {@link LakeAdapter} over `@aws-sdk/client-s3`. Listing follows continuation tokens past
 * 1000 keys; batch deletes go 1000 keys per request and report the first per-key error.
 */
export class S3Adapter implements LakeAdapter {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #pageSize: number;
  readonly #listV1: boolean;
  readonly #partBytes: number;

  constructor(options: S3AdapterOptions) {
    this.#partBytes = Math.max(MIN_PART_BYTES, options.partBytes ?? DEFAULT_PART_BYTES);
    this.#bucket = options.bucket;
    this.#pageSize = Math.max(1, Math.min(1000, options.listPageSize ?? 1000));
    this.#listV1 = options.listApi === "v1";
    const checksum = options.checksums === "when-supported" ? "WHEN_SUPPORTED" : "WHEN_REQUIRED";
    this.#s3 =
      options.client ??
      new S3Client({
        region: options.region ?? "us-east-1",
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
        requestChecksumCalculation: checksum,
        responseChecksumValidation: checksum,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      });
  }

  async putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: path,
          Body: data,
          ContentLength: data.byteLength,
          ...(contentType ? { ContentType: contentType } : {}),
        }),
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
      const response = await this.#s3.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: path }),
      );
      if (!response.Body) return Ok(new Uint8Array());
      return Ok(await response.Body.transformToByteArray());
    } catch (cause) {
      return Err(isMissing(cause) ? new ObjectNotFoundError(path) : failure("get", path, cause));
    }
  }

  /**
   * A multipart upload (CreateMultipartUpload with the first full part, UploadPart,
   * CompleteMultipartUpload; AbortMultipartUpload on failure or abort), or one PutObject when the
   * object is smaller than a part.
   */
  async putObjectStream(
    path: string,
    contentType?: string,
  ): Promise<Result<ObjectUpload, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    const putWhole = async (data: Uint8Array) => {
      const put = await this.putObject(path, data, contentType);
      if (!put.ok) throw put.error;
    };
    return Ok(
      multipartUpload(
        s3MultipartBackend(this.#s3, this.#bucket, path, contentType, putWhole),
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
      const response = await this.#s3.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: path,
          Range: `bytes=${offset}-${offset + length - 1}`,
        }),
      );
      if (!response.Body) return Ok(new Uint8Array());
      return Ok(await response.Body.transformToByteArray());
    } catch (cause) {
      if (isMissing(cause)) return Err(new ObjectNotFoundError(path));
      const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (status === 416) return Err(rangeOutside(path, offset));
      return Err(failure("get", path, cause));
    }
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      const response = await this.#s3.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: path }),
      );
      return Ok({
        size: response.ContentLength ?? 0,
        lastModified: response.LastModified ?? new Date(0),
      });
    } catch (cause) {
      return Err(isMissing(cause) ? new ObjectNotFoundError(path) : failure("head", path, cause));
    }
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const bad = checkKey(prefix, true);
    if (bad) return Err(bad);
    const out: ObjectInfo[] = [];
    let after: string | undefined;
    try {
      for (;;) {
        // Pages continue with StartAfter (the last key seen) rather than continuation tokens:
        // the same on every S3 implementation.
        const page = this.#listV1
          ? await this.#s3.send(
              new ListObjectsCommand({
                Bucket: this.#bucket,
                Prefix: prefix,
                MaxKeys: this.#pageSize,
                ...(after === undefined ? {} : { Marker: after }),
              }),
            )
          : await this.#s3.send(
              new ListObjectsV2Command({
                Bucket: this.#bucket,
                Prefix: prefix,
                MaxKeys: this.#pageSize,
                ...(after === undefined ? {} : { StartAfter: after }),
              }),
            );
        const items = page.Contents ?? [];
        for (const item of items) {
          if (item.Key === undefined) continue;
          out.push({
            key: item.Key,
            size: item.Size ?? 0,
            lastModified: item.LastModified ?? new Date(0),
          });
        }
        const last = items[items.length - 1]?.Key;
        if (!page.IsTruncated || last === undefined) break;
        after = last;
      }
    } catch (cause) {
      return Err(failure("list", prefix, cause));
    }
    return Ok(out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    const bad = checkKey(path);
    if (bad) return Err(bad);
    try {
      await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: path }));
      return Ok(undefined);
    } catch (cause) {
      return isMissing(cause) ? Ok(undefined) : Err(failure("delete", path, cause));
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
        const response = await this.#s3.send(
          new DeleteObjectsCommand({
            Bucket: this.#bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const first = response.Errors?.find((e) => e.Code !== "NoSuchKey");
        if (first)
          return Err(
            new AdapterError(`S3 delete of "${first.Key}" failed: ${first.Code}: ${first.Message}`),
          );
      } catch (cause) {
        return Err(failure("batch delete", batch[0] ?? "", cause));
      }
    }
    return Ok(undefined);
  }

  /** Closes the client's connections. */
  close(): void {
    this.#s3.destroy();
  }
}
