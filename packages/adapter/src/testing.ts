/**
 * @module @lakesync/adapter/testing
 * The conformance suites every adapter implementation runs (Vitest), for adapters that live in
 * other packages (the Worker's R2 binding) or in users' code.
 */
export {
  type LakeConformanceOptions,
  lakeConformance,
  prefixedLake,
} from "./testing/lake-conformance.js";
