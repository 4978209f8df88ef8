/**
 * @module compose/migrate
 * Copying a lake's objects, or a database's rows, from one adapter to another.
 */
import {
  AdapterError,
  Err,
  type HLCTimestamp,
  Ok,
  type Result,
  type TableSchema,
} from "@lakesync/core";
import { type DatabaseAdapter, isDatabaseAdapter } from "../database/database-adapter.js";
import { isLakeAdapter, type LakeAdapter } from "../lake/lake-adapter.js";

/** Progress of a migration, reported after every object or batch of rows. */
export interface MigrationProgress {
  /** Object key or table being copied. */
  readonly item: string;
  readonly copied: number;
  /** Objects already present at the destination with the same size (a resumed run). */
  readonly skipped: number;
  readonly total: number;
}

/** Options for {@link migrateAdapter}. */
export interface MigrateOptions {
  /** Objects: only keys under this prefix (default all). */
  readonly prefix?: string;
  /** Databases: the tables to copy (their schemas are created at the destination). */
  readonly tables?: readonly TableSchema[];
  /** Rows per write (default 1000). */
  readonly batchSize?: number;
  readonly onProgress?: (progress: MigrationProgress) => void;
}

/** What a migration did. */
export interface MigrationReport {
  readonly copied: number;
  readonly skipped: number;
}

/** Migrated rows carry the lowest HLC, so any live write at the destination wins over them. */
const MIGRATED_HLC = 1n as HLCTimestamp;
/** The writer recorded for migrated values (they carry no stamps of their own). */
const MIGRATION_CLIENT = "lakesync-migration";

/**
 * Copies everything from `from` to `to`: objects between two lakes (resumable: objects already
 * at the destination with the same size are skipped), or the rows of `options.tables` between
 * two databases (idempotent: re-running writes nothing new). Stops at the first failure with an
 * `Err` naming the object or table; what was copied stays copied, so a re-run resumes.
 */
export async function migrateAdapter(
  from: LakeAdapter | DatabaseAdapter,
  to: LakeAdapter | DatabaseAdapter,
  options: MigrateOptions = {},
): Promise<Result<MigrationReport, AdapterError>> {
  if (isLakeAdapter(from) && isLakeAdapter(to) && !options.tables)
    return migrateObjects(from, to, options);
  if (isDatabaseAdapter(from) && isDatabaseAdapter(to)) return migrateRows(from, to, options);
  return Err(
    new AdapterError(
      "migrateAdapter copies lake to lake or database to database (with options.tables)",
    ),
  );
}

async function migrateObjects(
  from: LakeAdapter,
  to: LakeAdapter,
  options: MigrateOptions,
): Promise<Result<MigrationReport, AdapterError>> {
  const source = await from.listObjects(options.prefix ?? "");
  if (!source.ok) return source;
  const present = await to.listObjects(options.prefix ?? "");
  if (!present.ok) return present;
  const existing = new Map(present.value.map((o) => [o.key, o.size]));
  let copied = 0;
  let skipped = 0;
  const total = source.value.length;
  for (const object of source.value) {
    if (existing.get(object.key) === object.size) {
      skipped++;
    } else {
      const data = await from.getObject(object.key);
      if (!data.ok) return data;
      const put = await to.putObject(object.key, data.value);
      if (!put.ok) return put;
      copied++;
    }
    options.onProgress?.({ item: object.key, copied, skipped, total });
  }
  return Ok({ copied, skipped });
}

async function migrateRows(
  from: DatabaseAdapter,
  to: DatabaseAdapter,
  options: MigrateOptions,
): Promise<Result<MigrationReport, AdapterError>> {
  const tables = options.tables ?? [];
  if (tables.length === 0)
    return Err(new AdapterError("migrating between databases needs options.tables"));
  const batch = options.batchSize ?? 1000;
  let copied = 0;
  for (const schema of tables) {
    const readySource = await from.ensureTable(schema);
    if (!readySource.ok) return readySource;
    const readyTarget = await to.ensureTable(schema);
    if (!readyTarget.ok) return readyTarget;
    const rows = await from.getRows(schema.table);
    if (!rows.ok) return rows;
    const total = rows.value.length;
    for (let i = 0; i < total; i += batch) {
      const slice = rows.value.slice(i, i + batch);
      const put = await to.putRows(
        schema.table,
        slice.map((r) => ({
          rowId: r.rowId,
          hlc: MIGRATED_HLC,
          clientId: MIGRATION_CLIENT,
          columns: Object.entries(r.values).map(([column, value]) => ({ column, value })),
        })),
      );
      if (!put.ok) return put;
      copied += slice.length;
      options.onProgress?.({ item: schema.table, copied, skipped: 0, total });
    }
  }
  return Ok({ copied, skipped: 0 });
}
