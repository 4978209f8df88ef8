/**
 * @module @lakesync/catalogue/testing
 * Test doubles for code that works with LakeSync's lake: a gateway in miniature that merges
 * deltas, hands out sequence numbers and cuts flush batches, and the rows and merge states the
 * lake's tables should hold afterwards.
 */
export {
  delta,
  expectedRow,
  expectedRows,
  expectedStates,
  RowIndex,
  withHiddenValuesNulled,
} from "./testing/row-index.js";
