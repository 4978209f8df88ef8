/**
 * A canonical text of a row state, for comparing states in tests: columns in name order, values
 * as canonical JSON (so key order and -0 do not matter), HLCs in decimal.
 */
import { canonicalJson, type RowState } from "@lakesync/core";

/** Equal texts mean states every merge treats the same. */
export function stateText(state: RowState): string {
  const names = Object.keys(state.columns).sort();
  const cells = names.map((name) => {
    const cell = state.columns[name];
    return cell
      ? `${JSON.stringify(name)}:${canonicalJson(cell.value)}@${cell.hlc}/${JSON.stringify(cell.clientId)}`
      : "";
  });
  const deleted = state.deleted
    ? ` deleted@${state.deleted.hlc}/${JSON.stringify(state.deleted.clientId)}`
    : "";
  return `{${cells.join(", ")}}${deleted}`;
}
