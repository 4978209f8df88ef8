import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";

/**
 * Serves the files under `root` at `http://127.0.0.1:{port}{prefix}/…` with `Range` support,
 * for readers that only fetch (icebird). Resolves once listening.
 */
export async function serveDirectory(
  root: string,
  prefix: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path.slice(prefix.length)));
    if (!path.startsWith(`${prefix}/`) || !file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      response.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
    if (range) {
      const start =
        range[1] === "" ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
      const end =
        range[1] !== "" && range[2] !== ""
          ? Math.min(Number(range[2]), bytes.length - 1)
          : bytes.length - 1;
      response.writeHead(206, {
        "content-range": `bytes ${start}-${end}/${bytes.length}`,
        "content-length": end - start + 1,
        "accept-ranges": "bytes",
      });
      response.end(request.method === "HEAD" ? undefined : bytes.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { "content-length": bytes.length, "accept-ranges": "bytes" });
    response.end(request.method === "HEAD" ? undefined : bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
