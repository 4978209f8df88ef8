/**
 * @module duckdb/replace-relation
 * Making room for a view or a table of a given name. DuckDB's `CREATE OR REPLACE` replaces an
 * object of the same kind only, and `DROP VIEW IF EXISTS` (or `DROP TABLE IF EXISTS`) fails on
 * an object of the other kind, so a lake view that became a table of rows (`registerRows`), or
 * a view registered again (`refresh`), first drops whatever kind of object holds the name.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent, quoteText } from "./sql-text.js";

/**
 * Drops the table or view `name` of the current schema unless it is already of `kind` (which
 * `CREATE OR REPLACE` then replaces). Throws DuckDB's error: callers run it inside their
 * `try`, next to the statement that creates the new object.
 */
export async function dropOtherKind(
  connection: DuckDBConnection,
  name: string,
  kind: "VIEW" | "TABLE",
): Promise<void> {
  const found = await connection.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = current_schema() AND lower(table_name) = lower(${quoteText(name)})`,
  );
  const type = found.getRows()[0]?.[0];
  if (type === "VIEW" && kind === "TABLE") await connection.run(`DROP VIEW ${quoteIdent(name)}`);
  else if (type !== undefined && type !== "VIEW" && kind === "VIEW")
    await connection.run(`DROP TABLE ${quoteIdent(name)}`);
}
