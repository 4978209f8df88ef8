/**
 * @module lake-files
 * `GET /lake/*` (and `HEAD`): the lake's files, read-only, to admin tokens, with HTTP Range
 * requests (`bytes=a-b`, `bytes=a-`, `bytes=-n`; one range per request), so browser readers
 * (the analyst dashboard's hyparquet) fetch Parquet footers and column chunks without the whole
 * file. The path after `/lake/` is the file's key in the lake (its URI minus the warehouse); a
 * missing file is a JSON 404, like every unknown API path.
 */
import type { LakeLocation } from "@lakesync/catalogue";
import type { TokenVerifier } from "@lakesync/gateway";
import type { Context } from "hono";
import { Hono } from "hono";

type Range = { start: number; end: number } | "unsatisfiable" | undefined;

/** The byte range a `Range` header asks of a `size`-byte file (inclusive end); see the module comment. */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

/** The routes of the module comment, to mount at `/lake`. */
export function lakeFiles(location: LakeLocation, verifier: TokenVerifier): Hono {
  const app = new Hono();
  const serve = async (c: Context) => {
    const principal = await verifier(c.req.header("authorization"), "*", true);
    if (!principal.ok)
      return c.json(
        { code: principal.error.code, message: principal.error.message },
        principal.error.status,
      );
    const raw = c.req.path.replace(/^.*?\/lake\//, "");
    let key: string;
    try {
      key = raw.split("/").map(decodeURIComponent).join("/");
    } catch {
      return c.json(
        { code: "INVALID_INPUT", message: "the path is not valid percent-encoding" },
        400,
      );
    }
    const read = await location.read(location.uriOf(key));
    if (!read.ok) return c.json({ code: "NOT_FOUND", message: `no lake file ${key}` }, 404);
    const bytes = read.value;
    const range = parseRange(c.req.header("range"), bytes.byteLength);
    const headers: Record<string, string> = {
      "accept-ranges": "bytes",
      "content-type": key.endsWith(".json") ? "application/json" : "application/octet-stream",
      // Iceberg never rewrites a file in place: data, delete, manifest and metadata files are new names.
      "cache-control": "private, max-age=3600",
    };
    if (range === "unsatisfiable")
      return c.body(null, 416, { ...headers, "content-range": `bytes */${bytes.byteLength}` });
    const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
    const status = range ? 206 : 200;
    if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${bytes.byteLength}`;
    headers["content-length"] = String(body.byteLength);
    if (c.req.method === "HEAD") return c.body(null, status, headers);
    return c.body(body as Uint8Array<ArrayBuffer>, status, headers);
  };
  app.on(["GET", "HEAD"], "/*", serve);
  return app;
}
