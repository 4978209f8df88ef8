/**
 * The engines every `LocalDB` test runs on in Node: sql.js and the official SQLite WebAssembly
 * build (in memory), so both behave the same (OPFS itself is tested in Chromium, tests/e2e).
 */
import type { LocalDBEngine } from "../../open-engine.js";

export const ENGINES: readonly LocalDBEngine[] = ["sql.js", "sqlite-wasm"];
