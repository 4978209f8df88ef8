/**
 * @module commit/table-setup
 * Making sure a table exists with the columns a writer needs: create it (and its namespace) if
 * missing, tolerating racing creators, and grow its schema by adding columns with fresh field
 * ids (ids are never reused), committed with `assert-current-schema-id` and retried when another
 * writer changed the schema meanwhile.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type {
  Catalogue,
  CreateTableRequest,
  LoadedTable,
  TableIdentifier,
} from "../catalogue/catalogue.js";
import { CatalogueError } from "../errors.js";
import { currentSchema } from "../iceberg/metadata.js";
import type { IcebergField, IcebergSchema, IcebergType } from "../iceberg/types.js";
import { type RetryOptions, retryDelay } from "./retry.js";

/**
 * Loads `table`, or creates it (and its namespace) when it does not exist. A creator that loses
 * a race (`ALREADY_EXISTS`) loads the winner's table. Errors are the catalogue's.
 */
export async function createTableIfMissing(
  catalogue: Catalogue,
  table: TableIdentifier,
  request: Omit<CreateTableRequest, "name">,
): Promise<Result<LoadedTable, LakeSyncError>> {
  const loaded = await catalogue.loadTable(table);
  if (loaded.ok || loaded.error.code !== "NO_SUCH_TABLE") return loaded;
  const namespace = await catalogue.createNamespace(table.namespace);
  if (!namespace.ok && namespace.error.code !== "ALREADY_EXISTS") return namespace;
  const created = await catalogue.createTable(table.namespace, { ...request, name: table.name });
  if (created.ok || created.error.code !== "ALREADY_EXISTS") return created;
  return catalogue.loadTable(table);
}

/** A column to add; nested types get fresh ids for their elements, keys, values and fields. */
export interface NewColumn {
  readonly name: string;
  readonly type: IcebergType;
  readonly doc?: string;
}

function withFreshIds(type: IcebergType, next: () => number): IcebergType {
  if (typeof type === "string") return type;
  if (type.type === "struct")
    return {
      type: "struct",
      fields: type.fields.map((f) => ({ ...f, id: next(), type: withFreshIds(f.type, next) })),
    };
  if (type.type === "list") {
    const id = next();
    return { ...type, "element-id": id, element: withFreshIds(type.element, next) };
  }
  const keyId = next();
  const valueId = next();
  return {
    ...type,
    "key-id": keyId,
    "value-id": valueId,
    key: withFreshIds(type.key, next),
    value: withFreshIds(type.value, next),
  };
}

function grow(
  schema: IcebergSchema,
  lastColumnId: number,
  columns: readonly NewColumn[],
): Result<{ schema: IcebergSchema; lastColumnId: number } | undefined, CatalogueError> {
  let last = lastColumnId;
  const next = () => ++last;
  const added: IcebergField[] = [];
  for (const column of columns) {
    const existing = schema.fields.find((f) => f.name === column.name);
    if (existing) {
      // Nested types carry ids, so only primitive types can be compared as written.
      if (typeof column.type === "string" && existing.type !== column.type)
        return Err(
          new CatalogueError(
            "INVALID_INPUT",
            `column "${column.name}" exists with type ${JSON.stringify(existing.type)}, not ${column.type}`,
          ),
        );
      continue;
    }
    if (added.some((f) => f.name === column.name)) continue;
    const id = next();
    added.push({
      id,
      name: column.name,
      required: false,
      type: withFreshIds(column.type, next),
      ...(column.doc === undefined ? {} : { doc: column.doc }),
    });
  }
  if (added.length === 0) return Ok(undefined);
  return Ok({ schema: { ...schema, fields: [...schema.fields, ...added] }, lastColumnId: last });
}

/**
 * Adds the `columns` the table's current schema lacks (as optional columns with fresh field
 * ids) and makes the grown schema current. Columns that exist with the same type are left alone;
 * returns the table unchanged when nothing is missing. `Err`: `INVALID_INPUT` for a column that
 * exists with another primitive type; `COMMIT_CONFLICT` when the attempts run out; the
 * catalogue's errors otherwise.
 */
export async function addColumns(
  catalogue: Catalogue,
  table: TableIdentifier,
  columns: readonly NewColumn[],
  retry: RetryOptions = {},
): Promise<Result<LoadedTable, LakeSyncError>> {
  const attempts = Math.max(1, retry.attempts ?? 8);
  let lastError: LakeSyncError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await retryDelay(attempt, retry);
    const loaded = await catalogue.loadTable(table);
    if (!loaded.ok) return loaded;
    const { metadata } = loaded.value;
    const current = currentSchema(metadata);
    const grown = grow(current, metadata["last-column-id"], columns);
    if (!grown.ok) return grown;
    if (grown.value === undefined) return loaded;
    const committed = await catalogue.commitTable(
      table,
      [
        { type: "assert-current-schema-id", "current-schema-id": current["schema-id"] },
        {
          type: "assert-last-assigned-field-id",
          "last-assigned-field-id": metadata["last-column-id"],
        },
      ],
      [
        {
          action: "add-schema",
          schema: grown.value.schema,
          "last-column-id": grown.value.lastColumnId,
        },
        { action: "set-current-schema", "schema-id": -1 },
      ],
    );
    if (committed.ok || committed.error.code !== "COMMIT_CONFLICT") return committed;
    lastError = committed.error;
  }
  return Err(
    new CatalogueError("COMMIT_CONFLICT", `gave up adding columns after ${attempts} attempts`, {
      cause: lastError,
    }),
  );
}
