/**
 * @module gateway-store
 * Each gateway's durable store on the Node host: a SQLite file (`node:sqlite`) in its folder,
 * and the one-time move of a write-ahead log written by earlier versions into it.
 */
import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  importReplayed,
  openNodeSqlite,
  SqlGatewayStore,
  type SqliteDurability,
} from "@lakesync/gateway/node";
import { WalGatewayStore } from "./wal-store.js";

/** The store's file in a gateway's folder. */
export const STORE_FILE = "gateway.sqlite";
/** The write-ahead log of earlier versions, moved into the store once. */
export const LEGACY_LOG = "wal.log";

/** How each gateway's store is opened. */
export interface GatewayStoreOptions {
  /** `full` (default): every acknowledged push survives a power cut; `normal`: a crash. */
  readonly durability: SqliteDurability;
  /** Row states kept in memory per gateway. */
  readonly cacheRows: number;
}

/**
 * Reads `LAKESYNC_DURABILITY` (full|normal, default full) and `LAKESYNC_ROW_CACHE` (row states
 * in memory per gateway, default 20,000) through `pick` (a variable, else a config-file key).
 */
export function gatewayStoreConfig(
  pick: (envName: string, key: string) => string | undefined,
): Result<GatewayStoreOptions, LakeSyncError> {
  const durability = pick("LAKESYNC_DURABILITY", "durability") ?? "full";
  if (durability !== "full" && durability !== "normal")
    return Err(
      new LakeSyncError(
        "INVALID_CONFIG",
        `LAKESYNC_DURABILITY must be full or normal, got ${JSON.stringify(durability)}`,
      ),
    );
  const text = pick("LAKESYNC_ROW_CACHE", "rowCache");
  const cacheRows = text === undefined ? 20_000 : Number(text);
  if (!Number.isSafeInteger(cacheRows) || cacheRows < 100)
    return Err(
      new LakeSyncError(
        "INVALID_CONFIG",
        `LAKESYNC_ROW_CACHE must be an integer of at least 100, got ${JSON.stringify(text)}`,
      ),
    );
  return Ok({ durability, cacheRows });
}

/** True when a gateway's folder holds a store (or an older log to move into one). */
export function storeExists(dir: string): boolean {
  return existsSync(join(dir, STORE_FILE)) || existsSync(join(dir, LEGACY_LOG));
}

/**
 * Opens the store of the gateway whose folder is `dir` (creating it). A `wal.log` left by an
 * earlier version is imported first, in one transaction, then renamed `wal.log.migrated` (kept
 * as a backup; delete it once the gateway runs well).
 */
export async function openGatewayStore(
  dir: string,
  options: GatewayStoreOptions,
): Promise<Result<SqlGatewayStore, LakeSyncError>> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    return Err(new LakeSyncError("STORE_UNAVAILABLE", `cannot create ${dir}`, { cause }));
  }
  const path = join(dir, STORE_FILE);
  const open = () => openNodeSqlite(path, { durability: options.durability });
  if (existsSync(join(dir, LEGACY_LOG))) {
    const moved = await moveLegacyLog(dir, open);
    if (!moved.ok) return moved;
  }
  return Ok(new SqlGatewayStore(open, { cacheRows: options.cacheRows }));
}

async function moveLegacyLog(
  dir: string,
  open: () => ReturnType<typeof openNodeSqlite>,
): Promise<Result<void, LakeSyncError>> {
  const legacy = new WalGatewayStore({ dir });
  const loaded = await legacy.load();
  await legacy.close();
  if (!loaded.ok) return loaded;
  const sql = open();
  if (!sql.ok) return sql;
  const store = new SqlGatewayStore(sql.value);
  const current = await store.load();
  if (!current.ok) {
    await store.close();
    return current;
  }
  // A store that already holds entries or rows has been moved before (the rename then failed).
  const empty =
    current.value.indexed !== undefined &&
    current.value.indexed.log.length === 0 &&
    current.value.indexed.rows.size === 0;
  const imported = empty ? importReplayed(sql.value, loaded.value) : Ok(undefined);
  await store.close();
  if (!imported.ok) return imported;
  try {
    await rename(join(dir, LEGACY_LOG), join(dir, `${LEGACY_LOG}.migrated`));
    return Ok(undefined);
  } catch (cause) {
    return Err(
      new LakeSyncError("STORE_UNAVAILABLE", `cannot rename ${join(dir, LEGACY_LOG)}`, { cause }),
    );
  }
}
