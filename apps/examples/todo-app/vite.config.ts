import { defineConfig } from "vite";

/** Workspace packages are built from source through the `@lakesync/source` condition. */
export default defineConfig({
  resolve: { conditions: ["@lakesync/source", "browser", "module", "import", "default"] },
  build: { target: "es2022", sourcemap: true },
  server: {
    proxy: {
      "/sync": { target: "http://127.0.0.1:8787", ws: true },
      "/dev": "http://127.0.0.1:8787",
      "/admin": "http://127.0.0.1:8787",
    },
  },
});
