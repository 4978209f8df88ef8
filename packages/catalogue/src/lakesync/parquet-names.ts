/**
 * @module lakesync/parquet-names
 * The column names inside the layout's Parquet files. Iceberg readers match columns by field id,
 * so the names are free; the reference writer (Iceberg Java) makes them valid Avro names, and
 * some readers (icebird) look columns up by that name. So a column called `first name` is the
 * Parquet column `first_x20name` with the field id of `first name`, as those writers spell it:
 * per UTF-16 unit, ASCII letters, `_` and (after the first) digits kept, a leading digit `d`
 * written `_d`, anything else `_x` plus its upper-case hex code.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import type { IcebergSchema } from "../iceberg/types.js";

/** The Parquet column name of an Iceberg field name (see the module comment). */
export function parquetColumnName(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const ch = name.charAt(i);
    if (/[A-Za-z_]/.test(ch) || (i > 0 && /[0-9]/.test(ch))) out += ch;
    else if (/[0-9]/.test(ch)) out += `_${ch}`;
    else out += `_x${ch.charCodeAt(0).toString(16).toUpperCase()}`;
  }
  return out;
}

/**
 * `schema` with its top-level field names replaced by their Parquet column names, to write files
 * with. `Err(CatalogueError)` (`INVALID_INPUT`) when two fields would share a column name.
 */
export function parquetFileSchema(schema: IcebergSchema): Result<IcebergSchema, CatalogueError> {
  const seen = new Map<string, string>();
  const fields = schema.fields.map((f) => ({ ...f, name: parquetColumnName(f.name) }));
  for (const [i, field] of fields.entries()) {
    const other = seen.get(field.name);
    const original = schema.fields[i]?.name ?? field.name;
    if (other !== undefined)
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `columns "${other}" and "${original}" would both be the Parquet column "${field.name}"`,
        ),
      );
    seen.set(field.name, original);
  }
  return Ok({ ...schema, fields });
}
