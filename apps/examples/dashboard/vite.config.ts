import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const gateway = "http://127.0.0.1:8787";

/**
 * Workspace packages are built from source through the `@lakesync/source` condition. The build
 * goes next to the todo app's (`todo-app/dist/dashboard`), so the Node gateway, which serves the
 * todo app's folder, serves the dashboard at `/dashboard/`.
 */
export default defineConfig({
  base: "/dashboard/",
  resolve: {
    conditions: ["@lakesync/source", "browser", "module", "import", "default"],
  },
  build: {
    target: "es2022",
    sourcemap: true,
    outDir: fileURLToPath(new URL("../todo-app/dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
  },
  server: {
    proxy: { "/iceberg": gateway, "/lake": gateway, "/dev": gateway },
  },
});
