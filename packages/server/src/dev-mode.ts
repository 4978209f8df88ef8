/**
 * @module dev-mode
 * What the server adds when it runs with the built-in development secret: tokens on request,
 * and the todo app's schema and sync rules.
 */
import type { SyncRules, TableSchema } from "@lakesync/core";
import type { SyncGateway } from "@lakesync/gateway";
import { SignJWT } from "jose";

/** The gateway id the todo app syncs through. */
export const TODO_GATEWAY = "todos";

/** The todo app's table. */
export const TODO_SCHEMA: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "completed", type: "boolean" },
    { name: "created_at", type: "string" },
    { name: "updated_at", type: "string" },
    { name: "owner", type: "string" },
    { name: "private", type: "boolean" },
  ],
};

/**
 * Everyone sees their own todos and every shared one. Owners do anything to their own todos;
 * anyone may retitle or tick a shared todo; only its owner may change `owner` or `private`, or
 * delete it.
 */
export const TODO_RULES: SyncRules = {
  version: 1,
  buckets: [
    {
      name: "own",
      tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
    },
    {
      name: "public",
      tables: [{ table: "todos", filters: [{ column: "private", op: "eq", value: false }] }],
    },
  ],
  writes: [
    { table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] },
    {
      table: "todos",
      filters: [{ column: "private", op: "eq", value: false }],
      columns: ["title", "completed", "updated_at"],
      operations: ["update"],
    },
  ],
};

/**
 * Gives the todo gateway its schema and the app's rules when it opens (setting the rules in
 * force again changes nothing; rules from an older version of the app are replaced).
 */
export async function prepareTodoGateway(gateway: SyncGateway): Promise<void> {
  if (gateway.gatewayId !== TODO_GATEWAY) return;
  if (!gateway.schemaOf(TODO_SCHEMA.table)) await gateway.setSchema(TODO_SCHEMA);
  await gateway.setSyncRules(TODO_RULES);
}

/** How long a development token lives and which gateways it opens. */
export interface DevTokenOptions {
  /** Lifetime in seconds (default 12 hours). */
  readonly expiresInSeconds?: number;
  /** The `gw` claim: a gateway id, or `"*"` (the default) for every gateway. */
  readonly gateway?: string;
}

/**
 * A development token: HS256, valid for 12 hours and every gateway unless `options` say
 * otherwise (`exp` is exactly `iat` plus the lifetime).
 */
export function devToken(
  secret: string,
  subject: string,
  admin: boolean,
  options: DevTokenOptions = {},
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: subject, gw: options.gateway ?? "*", admin })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 12 * 3600))
    .sign(new TextEncoder().encode(secret));
}
