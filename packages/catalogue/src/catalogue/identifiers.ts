/**
 * @module catalogue/identifiers
 * Checking namespace levels and table names before they reach SQL or become path segments of
 * a table location. A namespace is stored as its levels joined by `.` (JdbcCatalog's and
 * PyIceberg's convention), so a level may not itself contain a dot.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import type { Namespace, TableIdentifier } from "./catalogue.js";

function nameProblem(name: unknown, what: string): string | undefined {
  if (typeof name !== "string" || name.length === 0) return `${what} must be a non-empty string`;
  if (name === "." || name === "..") return `${what} "${name}" is not allowed`;
  // Path separators and control characters would escape or break the table's location.
  if (/[/\\]/.test(name) || [...name].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === "\u007f"))
    return `${what} "${name}" contains "/", "\\" or a control character`;
  if (new TextEncoder().encode(name).length > 255)
    return `${what} "${name.slice(0, 20)}…" is longer than 255 bytes`;
  return undefined;
}

/** The stored form of a namespace (`a.b`); `Err` (`INVALID_INPUT`) for an empty or malformed one. */
export function namespaceKey(namespace: Namespace): Result<string, CatalogueError> {
  if (!Array.isArray(namespace) || namespace.length === 0)
    return Err(new CatalogueError("INVALID_INPUT", "a namespace needs at least one level"));
  for (const level of namespace) {
    const problem = nameProblem(level, "a namespace level");
    if (problem) return Err(new CatalogueError("INVALID_INPUT", problem));
    if (level.includes("."))
      return Err(new CatalogueError("INVALID_INPUT", `namespace level "${level}" contains "."`));
  }
  const key = namespace.join(".");
  if (key.length > 255)
    return Err(new CatalogueError("INVALID_INPUT", "a namespace is at most 255 characters"));
  return Ok(key);
}

/** The levels of a stored namespace. */
export function namespaceLevels(key: string): string[] {
  return key.split(".");
}

/** The stored namespace and name of a table; `Err` (`INVALID_INPUT`) for malformed ones. */
export function tableKey(
  table: TableIdentifier,
): Result<{ namespace: string; name: string }, CatalogueError> {
  const namespace = namespaceKey(table?.namespace);
  if (!namespace.ok) return namespace;
  const problem = nameProblem(table.name, "a table name");
  if (problem) return Err(new CatalogueError("INVALID_INPUT", problem));
  return Ok({ namespace: namespace.value, name: table.name });
}

/** `text` with the LIKE wildcards escaped for `ESCAPE '!'`. */
export function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
