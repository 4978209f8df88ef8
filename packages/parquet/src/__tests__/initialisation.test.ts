import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { initParquet, readParquetToDeltas, writeDeltasToParquet } from "../index.js";
import { sample, todos } from "./fixtures.js";

// This file imports the runtime-neutral entry only, as a browser or a Worker would.
const wasmPath = createRequire(import.meta.url).resolve("parquet-wasm/esm/parquet_wasm_bg.wasm");
// The ES2022 lib declares no WebAssembly; every runtime LakeSync supports has it.
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<object> };
};

describe("initialisation outside Node", () => {
  it("before initParquet, writers and readers return an error that says how to initialise", () => {
    const write = writeDeltasToParquet([]);
    const read = readParquetToDeltas(new Uint8Array(16));
    expect(!write.ok && write.error.message).toContain("Parquet is not initialised");
    expect(!read.ok && read.error.code).toBe("FLUSH_FAILED");
  });

  it("initParquet with bytes that are not the wasm module is an error, not a throw", async () => {
    const result = await initParquet(new Uint8Array([0, 1, 2, 3]));
    expect(!result.ok && result.error.code).toBe("FLUSH_FAILED");
  });

  it("initParquet with a compiled WebAssembly.Module (as Workers import it) enables everything", async () => {
    const module = await wasmApi.compile(readFileSync(wasmPath));
    expect((await initParquet(module)).ok).toBe(true);
    const bytes = unwrapOrThrow(writeDeltasToParquet(sample, todos));
    expect(unwrapOrThrow(readParquetToDeltas(bytes))).toEqual(sample);
  });
});
