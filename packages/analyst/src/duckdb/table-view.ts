/**
 * @module duckdb/table-view
 * The SQL of a DuckDB view showing the live rows of one Iceberg snapshot, merge-on-read, as the
 * Iceberg spec's scan planning defines them: the snapshot's data files read by `read_parquet`
 * with a field-id schema (so renamed Parquet columns such as `first_x20name` read back as
 * `first name`, and a column a file lacks reads as null), minus every row an equality delete
 * with a higher data sequence number matches in the same partition (or in any partition for a
 * delete written with an unpartitioned spec), minus the rows position deletes name. With no
 * delete file, the view is a plain `read_parquet`.
 */
import {
  deletesFor,
  type IcebergSchema,
  partitionKey,
  type ScanFile,
  type ScanPlan,
} from "@lakesync/catalogue";
import { Ok, type Result } from "@lakesync/core";
import type { AnalystError } from "../errors.js";
import { duckdbTypeOf } from "./duckdb-types.js";
import { pathList, quoteIdent, quoteText } from "./sql-text.js";

/** Where the files of a plan are, as paths DuckDB reads (local files or a cache). */
export type PathOf = (uri: string) => string;

const FILE = "__lakesync_file";

interface FieldSpec {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
}

function fieldsOf(schema: IcebergSchema): Result<FieldSpec[], AnalystError> {
  const out: FieldSpec[] = [];
  for (const field of schema.fields) {
    const type = duckdbTypeOf(field.type, field.name);
    if (!type.ok) return type;
    out.push({ id: field.id, name: field.name, type: type.value, required: field.required });
  }
  return Ok(out);
}

/** `read_parquet` of `paths` with a field-id schema of `fields`, the file name as a column. */
function readParquet(paths: readonly string[], fields: readonly FieldSpec[], rowNumbers = false) {
  const schema = fields
    .map((f) => `${f.id}: {name: ${quoteText(f.name)}, type: '${f.type}', default_value: NULL}`)
    .join(", ");
  return `read_parquet(${pathList(paths)}, filename = ${quoteText(FILE)}${
    rowNumbers ? ", file_row_number = true" : ""
  }, schema = MAP {${schema}})`;
}

function valuesOf(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => `(${r.join(", ")})`).join(", ");
}

/**
 * The body (`SELECT …`) of a view of the live rows of `plan`, read with `schema` (the schema of
 * the planned snapshot). `Err(AnalystError)` (`INVALID_INPUT`) for a column type the analyst
 * cannot read.
 */
export function snapshotSelect(
  plan: ScanPlan,
  schema: IcebergSchema,
  pathOf: PathOf,
): Result<string, AnalystError> {
  const fields = fieldsOf(schema);
  if (!fields.ok) return fields;
  const columns = fields.value.map((f) => `d.${quoteIdent(f.name)}`).join(", ");
  if (plan.dataFiles.length === 0)
    return Ok(
      `SELECT ${fields.value.map((f) => `NULL::${f.type} AS ${quoteIdent(f.name)}`).join(", ")} WHERE false`,
    );
  const applying = new Map<string, ScanFile>();
  for (const file of plan.dataFiles)
    for (const d of deletesFor(plan, file)) applying.set(d.dataFile.filePath, d);
  const positional = [...applying.values()].filter((d) => d.dataFile.content === 1);
  if (applying.size === 0)
    return Ok(
      `SELECT ${columns} FROM ${readParquet(
        plan.dataFiles.map((f) => pathOf(f.dataFile.filePath)),
        fields.value,
      )} d`,
    );

  // A file's scope: its spec and partition. A delete applies within its own scope, or (written
  // with an unpartitioned spec) within every scope: such a delete file is listed once per data
  // scope it reaches. A row is deleted when the highest sequence number of the deletes matching
  // it in its scope is above its own: one hash join on equalities per group of delete files
  // (a correlated NOT EXISTS is several times slower in DuckDB).
  const scope = (f: ScanFile) => quoteText(`${f.specId}|${partitionKey(f.dataFile.partition)}`);
  // Data files are read in groups of one sequence number and scope, each tagged with constants:
  // no per-row join on file names.
  const groupsOfData = new Map<string, { seq: number; scope: string; paths: string[] }>();
  for (const f of plan.dataFiles) {
    const key = `${f.sequenceNumber}|${scope(f)}`;
    const group = groupsOfData.get(key) ?? { seq: f.sequenceNumber, scope: scope(f), paths: [] };
    group.paths.push(pathOf(f.dataFile.filePath));
    groupsOfData.set(key, group);
  }
  const ctes = [
    `__data AS (${[...groupsOfData.values()]
      .map(
        (g) =>
          `SELECT *, ${g.seq} AS __seq, ${g.scope} AS __scope FROM ${readParquet(g.paths, fields.value, positional.length > 0)}`,
      )
      .join(" UNION ALL ")})`,
  ];
  const scopes = new Map<string, Set<string>>();
  for (const file of plan.dataFiles)
    for (const d of deletesFor(plan, file)) {
      const set = scopes.get(d.dataFile.filePath) ?? new Set<string>();
      set.add(scope(file));
      scopes.set(d.dataFile.filePath, set);
    }
  const conditions: string[] = [];
  const joins: string[] = [];
  // Equality deletes, grouped by the columns they match on.
  const groups = new Map<string, ScanFile[]>();
  for (const d of applying.values()) {
    if (d.dataFile.content !== 2) continue;
    const key = (d.dataFile.equalityIds ?? []).join(",");
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  let groupIndex = 0;
  for (const [key, files] of groups) {
    const ids = key === "" ? [] : key.split(",").map(Number);
    const keyFields = ids.flatMap((id) => fields.value.filter((f) => f.id === id));
    if (keyFields.length !== ids.length || keyFields.length === 0) continue;
    const name = `__eq${groupIndex++}`;
    const rows = files.flatMap((f) =>
      [...(scopes.get(f.dataFile.filePath) ?? [])].map((s) => [
        quoteText(pathOf(f.dataFile.filePath)),
        String(f.sequenceNumber),
        s,
      ]),
    );
    ctes.push(
      `${name}_files(${FILE}, __seq, __scope) AS (VALUES ${valuesOf(rows)})`,
      `${name} AS (SELECT ${keyFields.map((f) => `x.${quoteIdent(f.name)}`).join(", ")}, f.__scope, max(f.__seq) AS __seq FROM ${readParquet(
        files.map((f) => pathOf(f.dataFile.filePath)),
        keyFields,
      )} x JOIN ${name}_files f USING (${FILE}) GROUP BY ALL)`,
    );
    // Iceberg matches nulls in equality deletes; a required column has none, and a plain
    // equality joins faster. One scope for every file needs no scope condition.
    const match = keyFields.map((f) =>
      f.required
        ? `${name}.${quoteIdent(f.name)} = d.${quoteIdent(f.name)}`
        : `${name}.${quoteIdent(f.name)} IS NOT DISTINCT FROM d.${quoteIdent(f.name)}`,
    );
    if (new Set([...groupsOfData.values()].map((g) => g.scope)).size > 1)
      match.push(`${name}.__scope = d.__scope`);
    joins.push(`LEFT JOIN ${name} ON ${match.join(" AND ")}`);
    conditions.push(`(${name}.__seq IS NULL OR ${name}.__seq <= d.__seq)`);
  }
  if (positional.length > 0) {
    const paths = positional.map((f) => pathOf(f.dataFile.filePath));
    ctes.push(
      `__pos_files(${FILE}, __seq) AS (VALUES ${valuesOf(
        positional.map((f) => [quoteText(pathOf(f.dataFile.filePath)), String(f.sequenceNumber)]),
      )})`,
      `__pos_targets(__uri, __local) AS (VALUES ${valuesOf(
        plan.dataFiles.map((f) => [
          quoteText(f.dataFile.filePath),
          quoteText(pathOf(f.dataFile.filePath)),
        ]),
      )})`,
      `__pos AS (SELECT t.__local, p.pos, f.__seq FROM read_parquet(${pathList(paths)}, filename = ${quoteText(FILE)}) p JOIN __pos_files f USING (${FILE}) JOIN __pos_targets t ON t.__uri = p.file_path)`,
    );
    conditions.push(
      `NOT EXISTS (SELECT 1 FROM __pos p WHERE p.__local = d.${FILE} AND p.pos = d.file_row_number AND p.__seq >= d.__seq)`,
    );
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  return Ok(`WITH ${ctes.join(",\n")}\nSELECT ${columns} FROM __data d ${joins.join(" ")}${where}`);
}
