/**
 * @module main
 * `npm start`: runs the self-hosted gateway (`@lakesync/server`) from the configuration in the
 * environment, serving the built todo app.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadConfig, startGateway, TODO_GATEWAY } from "@lakesync/server";

const todoApp = fileURLToPath(new URL("../../examples/todo-app/dist", import.meta.url));
const env = { ...process.env };
if (env.LAKESYNC_STATIC_DIR === undefined && existsSync(todoApp)) env.LAKESYNC_STATIC_DIR = todoApp;

const config = loadConfig(env);
if (!config.ok) {
  console.error(`lakesync: ${config.error.message}`);
  process.exit(2);
}
const started = await startGateway(config.value);
if (!started.ok) {
  console.error(`lakesync: ${started.error.message}`);
  process.exit(started.error.code === "INVALID_CONFIG" ? 2 : 1);
}
const gateway = started.value;
const { server } = gateway;
const lines = [
  `LakeSync gateway listening on ${server.url}`,
  `  data: ${config.value.dataDir} (a SQLite store per gateway); flushes to ${gateway.target.description}`,
];
if (gateway.maintenance)
  lines.push("  lake: compaction and maintenance on (LAKESYNC_COMPACTION=off stops them)");
if (config.value.staticDir) lines.push(`  todo app: open ${server.url}/ in two browser tabs`);
if (config.value.devSecret) {
  lines.push(
    "  development mode: built-in JWT secret (set LAKESYNC_JWT_SECRET or LAKESYNC_JWKS_URL for production)",
    `  a token:  curl '${server.url}/dev/token?sub=alice'   (admin: add &admin=1)`,
    `  flush:    curl -X POST -H "authorization: Bearer <admin token>" ${server.url}/admin/flush/${TODO_GATEWAY}`,
  );
}
console.log(lines.join("\n"));

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`lakesync: ${signal} received, flushing and stopping`);
  const closed = await gateway.close();
  if (!closed.ok)
    console.error(`lakesync: final flush failed (kept in the log): ${closed.error.message}`);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
