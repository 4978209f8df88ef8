/**
 * @module db/client-refs
 * Client ids interned as small integers: merge stamps name the writer of every column, and a
 * number costs one byte where a client id costs dozens.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { LocalDBError } from "../errors.js";
import type { LocalDB } from "./local-db.js";

/** The interning table; `ref` is an INTEGER PRIMARY KEY, so VACUUM never renumbers it. */
export const CLIENTS_DDL =
  "CREATE TABLE IF NOT EXISTS _lakesync_clients (ref INTEGER PRIMARY KEY, client_id TEXT NOT NULL UNIQUE)";

interface ClientCache {
  readonly refs: Map<string, number>;
  readonly ids: Map<number, string>;
}

const caches = new WeakMap<LocalDB, ClientCache>();

function cacheOf(db: LocalDB): ClientCache {
  let cache = caches.get(db);
  if (!cache) {
    const created: ClientCache = { refs: new Map(), ids: new Map() };
    // A ref interned by a transaction that rolled back no longer exists.
    db.onRollback(() => {
      created.refs.clear();
      created.ids.clear();
    });
    caches.set(db, created);
    cache = created;
  }
  return cache;
}

/** The number standing for `clientId`, interning it on first use. */
export function clientRef(db: LocalDB, clientId: string): Result<number, LocalDBError> {
  const cache = cacheOf(db);
  const cached = cache.refs.get(clientId);
  if (cached !== undefined) return Ok(cached);
  const inserted = db.exec(
    "INSERT INTO _lakesync_clients (client_id) VALUES (?) ON CONFLICT(client_id) DO NOTHING",
    [clientId],
  );
  if (!inserted.ok) return inserted;
  const rows = db.query<{ ref: number }>("SELECT ref FROM _lakesync_clients WHERE client_id = ?", [
    clientId,
  ]);
  if (!rows.ok) return rows;
  const ref = rows.value[0]?.ref;
  if (ref === undefined) return Err(new LocalDBError(`cannot intern client id "${clientId}"`));
  cache.refs.set(clientId, ref);
  cache.ids.set(ref, clientId);
  return Ok(ref);
}

/** The client id a number stands for; `Err` when no client has that number (corrupt stamps). */
export function clientIdOf(db: LocalDB, ref: number): Result<string, LocalDBError> {
  const cache = cacheOf(db);
  const cached = cache.ids.get(ref);
  if (cached !== undefined) return Ok(cached);
  const rows = db.query<{ client_id: string }>(
    "SELECT client_id FROM _lakesync_clients WHERE ref = ?",
    [ref],
  );
  if (!rows.ok) return rows;
  const clientId = rows.value[0]?.client_id;
  if (clientId === undefined) return Err(new LocalDBError(`no client is interned as ${ref}`));
  cache.ids.set(ref, clientId);
  cache.refs.set(clientId, ref);
  return Ok(clientId);
}
