/**
 * @module delta/row-key
 * Unambiguous keys for (table, rowId) pairs, for maps and indexes.
 */
declare const rowKeyBrand: unique symbol;

/** A key identifying one row of one table; distinct pairs never share a key. */
export type RowKey = string & { readonly [rowKeyBrand]: true };

/**
 * Builds the key of a row. The table name is length-prefixed, so a `:` inside a table or row id
 * can never make two different pairs collide.
 */
export function rowKey(table: string, rowId: string): RowKey {
  return `${table.length}:${table}:${rowId}` as RowKey;
}
