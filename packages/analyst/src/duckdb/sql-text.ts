/**
 * @module duckdb/sql-text
 * Quoting names and values into DuckDB SQL text. Every name and path the analyst puts into SQL
 * passes through here, so a table called `a"b` or a file under `it's/` cannot break a statement.
 */

/** `name` as a quoted DuckDB identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `text` as a DuckDB string literal. */
export function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A list of paths as a DuckDB `VARCHAR[]` literal. */
export function pathList(paths: readonly string[]): string {
  return `[${paths.map(quoteText).join(", ")}]`;
}
