/**
 * @module @lakesync/analyst
 * DuckDB over the lake: union reads and time travel.
 * Not built yet: this package exports nothing until its issue lands.
 */
export {};
