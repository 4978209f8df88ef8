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

/** A validated sync-rules document. */
export interface SyncRules {
  readonly version: 1;
  readonly buckets: readonly Bucket[];
}

/** The verified claims of the caller's JWT. */
export type Claims = Readonly<Record<string, ColumnValue | undefined>>;

/** The prefix that makes a filter value refer to a JWT claim. */
export const CLAIM_PREFIX = "jwt:";
