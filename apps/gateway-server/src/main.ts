/**
 * @module main
 * `npm start`: runs the self-hosted gateway from the configuration in the environment.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadConfig } from "./config.js";
import { TODO_GATEWAY } from "./dev-mode.js";
import { createFlushTarget } from "./flush-target.js";
import { startLakeMaintenance } from "./lake-maintenance.js";
import { startServer } from "./server.js";

const todoApp = fileURLToPath(new URL("../../examples/todo-app/dist", import.meta.url));
const env = { ...process.env };
if (env.LAKESYNC_STATIC_DIR === undefined && existsSync(todoApp)) env.LAKESYNC_STATIC_DIR = todoApp;

const config = loadConfig(env);
if (!config.ok) {
  console.error(`lakesync: ${config.error.message}`);
  process.exit(2);
}
const configured = await createFlushTarget(config.value);
if (!configured.ok) {
  console.error(`lakesync: ${configured.error.message}`);
  process.exit(2);
}
const target = configured.value;
const started = await startServer(config.value, {
  target: target.target,
  ...(target.lake ? { lake: target.lake } : {}),
});
if (!started.ok) {
  console.error(`lakesync: ${started.error.message}`);
  await target.close();
  process.exit(1);
}
const server = started.value;
const maintenance = target.lake ? startLakeMaintenance(config.value, target.lake) : undefined;
const lines = [
  `LakeSync gateway listening on ${server.url}`,
  `  data: ${config.value.dataDir} (write-ahead log); flushes to ${target.description}`,
];
if (maintenance)
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
  await maintenance?.stop();
  const closed = await server.close();
  await target.close();
  if (!closed.ok)
    console.error(`lakesync: final flush failed (kept in the log): ${closed.error.message}`);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
