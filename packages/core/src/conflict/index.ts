export * from "./lww.js";
export * from "./order.js";
export * from "./row-state.js";
export * from "./row-state-deltas.js";
