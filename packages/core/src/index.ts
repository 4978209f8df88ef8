/**
 * @module @lakesync/core
 * The primitives every LakeSync package builds on: `Result` and the error hierarchy, the hybrid
 * logical clock, column-level deltas, last-writer-wins conflict resolution and sync rules.
 *
 * @example
 * import { HLC, extractDelta } from "@lakesync/core";
 * const clock = new HLC();
 * const delta = extractDelta(null, { title: "Buy milk" }, {
 *   table: "todos", rowId: "t1", clientId: "phone", hlc: clock.now(),
 * });
 */
export * from "./conflict/index.js";
export * from "./delta/index.js";
export * from "./hlc/index.js";
export * from "./result/index.js";
export * from "./sync-rules/index.js";
