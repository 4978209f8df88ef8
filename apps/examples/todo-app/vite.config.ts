import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";

/**
 * Emits `sw.js` with the list of every file of the bundle, so the service worker precaches the
 * whole app shell when it installs (a reload works offline from the first visit on).
 */
function precachingServiceWorker(): Plugin {
  return {
    name: "lakesync-precaching-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = [
        "/",
        ...Object.keys(bundle)
          .filter((f) => !f.endsWith(".map"))
          .map((f) => `/${f}`),
      ];
      const version = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 12);
      const template = readFileSync(new URL("./service-worker/sw.js", import.meta.url), "utf8");
      this.emitFile({
        type: "asset",
        fileName: "sw.js",
        source: `self.__PRECACHE__ = ${JSON.stringify({ version, files })};\n${template}`,
      });
    },
  };
}

/** Workspace packages are built from source through the `@lakesync/source` condition. */
export default defineConfig({
  resolve: { conditions: ["@lakesync/source", "browser", "module", "import", "default"] },
  build: { target: "es2022", sourcemap: true },
  plugins: [precachingServiceWorker()],
  worker: { format: "es" },
  // The SQLite WebAssembly build finds its wasm next to itself (new URL(..., import.meta.url)):
  // pre-bundling it in dev would move the module away from the file.
  optimizeDeps: { exclude: ["@sqlite.org/sqlite-wasm"] },
  server: {
    proxy: {
      "/sync": { target: "http://127.0.0.1:8787", ws: true },
      "/dev": "http://127.0.0.1:8787",
      "/admin": "http://127.0.0.1:8787",
    },
  },
});
