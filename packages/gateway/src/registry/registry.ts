/**
 * @module registry/registry
 * The gateway's schemas and sync rules: validated, and kept durable in the store's metadata.
 */
import {
  Err,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  parseHLC,
  type Result,
  type RowDelta,
  type SyncRules,
  type TableSchema,
  validateSyncRules,
} from "@lakesync/core";
import type { GatewayStore } from "../store/gateway-store.js";
import { SchemaManager, type SchemaPolicy, type SchemaSet } from "./schema-manager.js";

/** The metadata keys schemas and rules are stored under. */
export const META_RULES = "sync-rules";
export const META_SCHEMAS = "schemas";
/** The log position of the last change of sync rules (older cursors restart from a checkpoint). */
export const META_RULES_SINCE = "sync-rules-since";
/** Client ids are bound to the token subject that first pushed with them: `client:<id>`. */
const CLIENT_PREFIX = "client:";

/**
 * Schemas (additive, versioned) and sync rules. Changes are made durable before they take
 * effect, so a gateway restarts with exactly what it last acknowledged.
 */
export class Registry {
  readonly #store: GatewayStore;
  readonly #schemas: SchemaManager;
  #rules: SyncRules | undefined;
  #rulesSince: HLCTimestamp | undefined;
  readonly #clients = new Map<string, string>();

  private constructor(store: GatewayStore, schemas: SchemaManager, rules: SyncRules | undefined) {
    this.#store = store;
    this.#schemas = schemas;
    this.#rules = rules;
  }

  /**
   * Restores schemas and rules from the store's metadata; `fallbackRules` apply when the store
   * holds none. `Err(STORE_CORRUPT)` when a stored document does not parse.
   */
  static restore(
    store: GatewayStore,
    meta: ReadonlyMap<string, string>,
    policy: SchemaPolicy,
    fallbackRules: SyncRules | undefined,
  ): Result<Registry, LakeSyncError> {
    let schemaSet: SchemaSet | undefined;
    const schemaText = meta.get(META_SCHEMAS);
    if (schemaText !== undefined) {
      try {
        schemaSet = JSON.parse(schemaText) as SchemaSet;
      } catch (cause) {
        return Err(new LakeSyncError("STORE_CORRUPT", "stored schemas are not JSON", { cause }));
      }
    }
    let rules = fallbackRules;
    const rulesText = meta.get(META_RULES);
    if (rulesText !== undefined) {
      let document: unknown;
      try {
        document = JSON.parse(rulesText);
      } catch (cause) {
        return Err(new LakeSyncError("STORE_CORRUPT", "stored sync rules are not JSON", { cause }));
      }
      const valid = validateSyncRules(document);
      if (!valid.ok) return valid;
      rules = valid.value;
    }
    const registry = new Registry(store, new SchemaManager(policy, schemaSet), rules);
    const since = meta.get(META_RULES_SINCE);
    if (since !== undefined) {
      const parsed = parseHLC(since);
      if (!parsed.ok)
        return Err(new LakeSyncError("STORE_CORRUPT", "the stored rules position is not an HLC"));
      registry.#rulesSince = parsed.value;
    }
    for (const [key, subject] of meta)
      if (key.startsWith(CLIENT_PREFIX))
        registry.#clients.set(key.slice(CLIENT_PREFIX.length), subject);
    return Ok(registry);
  }

  /** The log position of the last rules change, if rules were ever changed. */
  get rulesSince(): HLCTimestamp | undefined {
    return this.#rulesSince;
  }

  /** The subject a client id belongs to, if it ever pushed. */
  clientOwner(clientId: string): string | undefined {
    return this.#clients.get(clientId);
  }

  /**
   * Binds a client id to the subject pushing with it, durably, if it is not bound yet. `Err` when
   * the binding could not be stored.
   */
  async bindClient(clientId: string, subject: string): Promise<Result<void, LakeSyncError>> {
    if (this.#clients.has(clientId)) return Ok(undefined);
    const saved = await this.#store.putMeta(`${CLIENT_PREFIX}${clientId}`, subject);
    if (!saved.ok) return saved;
    this.#clients.set(clientId, subject);
    return Ok(undefined);
  }

  /** The current schemas and their version. */
  schemas(): SchemaSet {
    return this.#schemas.snapshot();
  }

  /** The schema of one table, if registered. */
  schemaOf(table: string): TableSchema | undefined {
    return this.#schemas.get(table);
  }

  /** The sync rules in force, if any. */
  get rules(): SyncRules | undefined {
    return this.#rules;
  }

  /**
   * Checks pushed deltas against the schemas, growing them under the additive policy unless
   * `grow` is false; `true` when the schemas grew (and must be persisted with
   * {@link Registry.persistSchemas}) or, with `grow: false`, would grow.
   */
  checkDeltas(deltas: readonly RowDelta[], grow = true): Result<boolean, LakeSyncError> {
    return this.#schemas.check(deltas, grow);
  }

  /** Stores the current schemas. */
  persistSchemas(): Promise<Result<void, LakeSyncError>> {
    return this.#store.putMeta(META_SCHEMAS, JSON.stringify(this.#schemas.snapshot()));
  }

  /** Registers or grows a table schema, durably. `Err(SchemaError)` if invalid or not additive. */
  async setSchema(document: unknown): Promise<Result<SchemaSet, LakeSyncError>> {
    const changed = this.#schemas.register(document);
    if (!changed.ok) return changed;
    if (changed.value) {
      const saved = await this.persistSchemas();
      if (!saved.ok) return saved;
    }
    return Ok(this.#schemas.snapshot());
  }

  /**
   * Replaces the sync rules after validating them; they are stored before they apply, with the
   * log position `since` of the change, if any (cursors older than it restart from a
   * checkpoint).
   */
  async setRules(
    document: unknown,
    since: HLCTimestamp | undefined,
  ): Promise<Result<SyncRules, LakeSyncError>> {
    const rules = validateSyncRules(document);
    if (!rules.ok) return rules;
    const saved = await this.#store.putMeta(META_RULES, JSON.stringify(rules.value));
    if (!saved.ok) return saved;
    if (since !== undefined) {
      const marked = await this.#store.putMeta(META_RULES_SINCE, since.toString());
      if (!marked.ok) return marked;
      this.#rulesSince = since;
    }
    this.#rules = rules.value;
    return Ok(rules.value);
  }

  /** The metadata documents to keep when the log is rewritten. */
  meta(): Map<string, string> {
    const meta = new Map<string, string>();
    if (this.#rules) meta.set(META_RULES, JSON.stringify(this.#rules));
    if (this.#rulesSince !== undefined) meta.set(META_RULES_SINCE, this.#rulesSince.toString());
    meta.set(META_SCHEMAS, JSON.stringify(this.#schemas.snapshot()));
    for (const [clientId, subject] of this.#clients)
      meta.set(`${CLIENT_PREFIX}${clientId}`, subject);
    return meta;
  }
}
