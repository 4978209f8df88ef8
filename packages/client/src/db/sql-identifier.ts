/**
 * @module db/sql-identifier
 * Quoting of SQLite identifiers that come from schemas (table and column names).
 */

/** Quotes an identifier for SQLite: wrapped in double quotes, inner quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Names of the tables a SELECT reads (after FROM or JOIN), lower-cased, for `watch`. */
export function tablesReadBy(sql: string): string[] {
  const tables = new Set<string>();
  const pattern =
    /\b(?:from|join)\s+(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][\w$]*))/gi;
  for (const match of sql.matchAll(pattern)) {
    const name = match[1]?.replaceAll('""', '"') ?? match[2] ?? match[3] ?? match[4];
    if (name) tables.add(name.toLowerCase());
  }
  return [...tables];
}
