/**
 * @module node/s3-multipart
 * The S3 calls of a streamed upload: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload, and a whole-object put for small objects.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { MultipartBackend } from "../lake/multipart.js";

/** A part S3 has stored. */
export interface S3Part {
  readonly ETag: string;
  readonly PartNumber: number;
}

/** The multipart backend of one upload of `key` in `bucket` (see the module comment). */
export function s3MultipartBackend(
  s3: S3Client,
  bucket: string,
  key: string,
  contentType: string | undefined,
  putWhole: (data: Uint8Array) => Promise<void>,
): MultipartBackend<S3Part> {
  const target = { Bucket: bucket, Key: key };
  let uploadId = "";
  return {
    create: async () => {
      const created = await s3.send(
        new CreateMultipartUploadCommand({
          ...target,
          ...(contentType ? { ContentType: contentType } : {}),
        }),
      );
      if (!created.UploadId) throw new Error("no UploadId in the response");
      uploadId = created.UploadId;
    },
    uploadPart: async (PartNumber, data) => {
      const sent = await s3.send(
        new UploadPartCommand({
          ...target,
          UploadId: uploadId,
          PartNumber,
          Body: data,
          ContentLength: data.byteLength,
        }),
      );
      return { ETag: sent.ETag ?? "", PartNumber };
    },
    complete: async (parts) => {
      await s3.send(
        new CompleteMultipartUploadCommand({
          ...target,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: parts.map((p) => ({ ETag: p.ETag, PartNumber: p.PartNumber })),
          },
        }),
      );
    },
    abort: async () => {
      await s3.send(new AbortMultipartUploadCommand({ ...target, UploadId: uploadId }));
    },
    putWhole,
  };
}
