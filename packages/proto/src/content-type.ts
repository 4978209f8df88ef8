/**
 * @module content-type
 * The media type of LakeSync protobuf messages on HTTP.
 */

/** The `Content-Type` (and `Accept`) header value of every protobuf request and response body. */
export const PROTO_CONTENT_TYPE = "application/x-protobuf";
