/**
 * @module @lakesync/compactor
 * Compaction of delta files into base files, maintenance and checkpoints.
 * Not built yet: this package exports nothing until its issue lands.
 */
export {};
