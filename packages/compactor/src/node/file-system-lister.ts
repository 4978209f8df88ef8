/**
 * @module node/file-system-lister
 * Listing a file-system lake for orphan removal, temporary files included. The
 * `FileSystemAdapter` writes each object to a `.lakesync-tmp-*` file and renames it into place;
 * a crash between the two leaves the temporary file, which its `listObjects` hides from every
 * reader. This lister shows them, so orphan removal deletes them once they are old enough.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { ObjectInfo } from "@lakesync/adapter";
import { AdapterError, Err, Ok, type Result } from "@lakesync/core";
import type { FileLister } from "../maintenance/remove-orphans.js";

/**
 * A {@link FileLister} over the directory `root` (the `FileSystemAdapter`'s root): every file
 * under a key prefix, temporary files included, sorted by key. `Err(AdapterError)` when the
 * directory cannot be read.
 */
export function fileSystemLister(root: string): FileLister {
  const base = resolve(root);
  return async (prefix: string): Promise<Result<ObjectInfo[], AdapterError>> => {
    const slash = prefix.lastIndexOf("/");
    const dir = slash < 0 ? base : resolve(base, ...prefix.slice(0, slash).split("/"));
    if (dir !== base && !dir.startsWith(base + sep))
      return Err(new AdapterError(`prefix "${prefix}" escapes the root`, { code: "INVALID_KEY" }));
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      if (code === "ENOENT" || code === "ENOTDIR") return Ok([]);
      return Err(new AdapterError(`cannot list "${prefix}"`, { cause }));
    }
    const out: ObjectInfo[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      const key = relative(base, full).split(sep).join("/");
      if (!key.startsWith(prefix)) continue;
      try {
        const info = await stat(full);
        out.push({ key, size: info.size, lastModified: info.mtime });
      } catch {
        // Renamed or deleted while listing: not part of the result.
      }
    }
    return Ok(out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  };
}
