/**
 * @module bench/support/compactor-fold-sql
 * DuckDB's fold of an Iceberg scan plan: the data files minus the equality deletes with a higher
 * sequence number (what a merge-on-read engine does), as one SQL query.
 */
import type { ScanFile } from "@lakesync/catalogue/node";

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The fold of `plan`'s files; `pathOf` turns a file URI into a local path DuckDB reads. */
export function foldSql(
  plan: { readonly dataFiles: readonly ScanFile[]; readonly deleteFiles: readonly ScanFile[] },
  pathOf: (uri: string) => string,
): string {
  const values = (list: readonly ScanFile[]) =>
    list.map((f) => `(${quote(pathOf(f.dataFile.filePath))}, ${f.sequenceNumber})`).join(", ");
  const paths = (list: readonly ScanFile[]) =>
    `[${list.map((f) => quote(pathOf(f.dataFile.filePath))).join(", ")}]`;
  const deletes =
    plan.deleteFiles.length === 0
      ? "SELECT NULL::VARCHAR AS row_id, 0 AS seq WHERE false"
      : `SELECT x.row_id, max(f.seq) AS seq FROM read_parquet(${paths(plan.deleteFiles)}, filename = true) x
         JOIN (VALUES ${values(plan.deleteFiles)}) f(file, seq) ON x.filename = f.file GROUP BY x.row_id`;
  return `
    WITH data AS (
           SELECT d.*, f.seq AS _seq
           FROM read_parquet(${paths(plan.dataFiles)}, filename = true, union_by_name = true) d
           JOIN (VALUES ${values(plan.dataFiles)}) f(file, seq) ON d.filename = f.file),
         deletes AS (${deletes})
    SELECT data.* EXCLUDE (_seq) FROM data LEFT JOIN deletes ON deletes.row_id = data.row_id
    WHERE deletes.seq IS NULL OR deletes.seq <= data._seq`;
}
