/**
 * @module sync-rules/types
 * The sync-rules document: which rows each client may receive.
 */
import type { ColumnValue } from "../delta/types.js";

/** A scalar that a filter compares against: a literal, or `"jwt:<claim>"` for a token claim. */
export type FilterValue = string | number | boolean | null;

/** `column` equals `value` (a literal or a `jwt:` claim reference). */
export interface EqFilter {
  readonly column: string;
  readonly op: "eq";
  readonly value: FilterValue;
}

/** `column` is one of `values`: a literal list, or a `jwt:` claim holding a list or a scalar. */
export interface InFilter {
  readonly column: string;
  readonly op: "in";
  readonly value: readonly FilterValue[] | string;
}

/** A condition on one column of a row. */
export type RowFilter = EqFilter | InFilter;

/** A table a bucket grants, with filters that must all hold (no filters: every row). */
export interface TableRule {
  readonly table: string;
  readonly filters?: readonly RowFilter[];
}

/** A named set of table rules; a client receives the union of all buckets. */
export interface Bucket {
  readonly name: string;
  readonly tables: readonly TableRule[];
}

/** What a write does to a row: creates it, changes it, or deletes it. */
export type WriteOperation = "insert" | "update" | "delete";

/**
 * Lets a writer change rows of `table`. Every filter must hold for the row as it was (unless the
 * write creates it) and as it will be after the write (unless the write deletes it); the write
 * may change only `columns` (`"*"`, the default: any column) and only by `operations` (default:
 * all three).
 */
export interface WriteGrant {
  readonly table: string;
  readonly filters?: readonly RowFilter[];
  readonly columns?: readonly string[] | "*";
  readonly operations?: readonly WriteOperation[];
}

/**
 * A validated sync-rules document. `buckets` decide what a client receives; `writes` decide what
 * it may change. Without `writes`, every table rule of every bucket is also a write grant for
 * all columns and operations: a client may write the rows it can read, and may not move a row
 * out of what it can read.
 */
export interface SyncRules {
  readonly version: 1;
  readonly buckets: readonly Bucket[];
  readonly writes?: readonly WriteGrant[];
}

/** The verified claims of the caller's JWT. */
export type Claims = Readonly<Record<string, ColumnValue | undefined>>;

/** The prefix that makes a filter value refer to a JWT claim. */
export const CLAIM_PREFIX = "jwt:";
