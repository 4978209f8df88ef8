/**
 * @module bench/gateway
 * Push ingest in process, memory per buffered delta, and HTTP push throughput against a bare
 * hono route answering the same size body on the same Node server stack.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { deltaId, HLC, HLC_ZERO, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { SyncGateway } from "@lakesync/gateway";
import { encodeSyncPush, encodeSyncResponse, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import { DEV_JWT_SECRET, devToken } from "@lakesync/server";
import autocannon from "autocannon";
import { type BenchRow, table } from "./harness.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const N = Number(process.env.BENCH_GATEWAY_DELTAS ?? 500_000);
const clock = new HLC();
const schema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" as const },
    { name: "completed", type: "boolean" as const },
    { name: "owner", type: "string" as const },
  ],
};

function makeDeltas(count: number, clientId: string, offset = 0): RowDelta[] {
  return Array.from({ length: count }, (_, i) => {
    const hlc = clock.now();
    const rowId = `row-${offset + i}`;
    const columns = [
      { column: "title", value: `todo number ${offset + i}` },
      { column: "completed", value: i % 2 === 0 },
      { column: "owner", value: "alice" },
    ];
    return {
      op: "INSERT",
      table: "todos",
      rowId,
      clientId,
      columns,
      hlc,
      deltaId: deltaId({ clientId, hlc, table: "todos", rowId, columns }),
    };
  });
}

const rows: BenchRow[] = [];

// In-process ingest
{
  log(`ingest ${N} deltas in process`);
  const gateway = unwrapOrThrow(await SyncGateway.open({ gatewayId: "bench", autoFlush: false }));
  unwrapOrThrow(await gateway.setSchema(schema));
  gc();
  // Measured from before the deltas exist: the gateway keeps the decoded deltas themselves.
  const before = process.memoryUsage().heapUsed;
  const deltas = makeDeltas(N, "bench-client");
  const t0 = performance.now();
  for (let i = 0; i < N; i += 1000)
    unwrapOrThrow(
      await gateway.handlePush({
        clientId: "bench-client",
        deltas: deltas.slice(i, i + 1000),
        lastSeenHlc: HLC_ZERO,
      }),
    );
  const ingest = (N * 1000) / (performance.now() - t0);
  gc();
  const bytesPerDelta = (process.memoryUsage().heapUsed - before) / N;
  const t1 = performance.now();
  for (let i = 0; i < N; i += 1000)
    unwrapOrThrow(
      await gateway.handlePush({
        clientId: "bench-client",
        deltas: deltas.slice(i, i + 1000),
        lastSeenHlc: HLC_ZERO,
      }),
    );
  const dedup = (N * 1000) / (performance.now() - t1);

  const t2 = performance.now();
  let cursor = HLC_ZERO;
  for (;;) {
    const page = unwrapOrThrow(
      await gateway.handlePull({ clientId: "r", sinceHlc: cursor, maxDeltas: 10_000 }, {}),
    );
    cursor = page.serverHlc;
    if (!page.hasMore) break;
  }
  const pull = (N * 1000) / (performance.now() - t2);

  // The push pipeline recomputes every pushed deltaId (a forged or zero id is refused): its share.
  const t3 = performance.now();
  let same = 0;
  for (const d of deltas)
    if (
      deltaId({
        clientId: d.clientId,
        hlc: d.hlc,
        table: d.table,
        rowId: d.rowId,
        columns: d.columns,
      }) === d.deltaId
    )
      same++;
  const verify = (N * 1000) / (performance.now() - t3);
  if (same !== N) throw new Error(`deltaId mismatch in ${N - same} deltas`);
  rows.push(
    {
      name: "push ingest in process (batches of 1000)",
      opsPerSec: ingest,
      unit: "deltas",
      note: `${bytesPerDelta.toFixed(0)} B heap per buffered delta of a new row: the decoded delta, its log and buffer slots and the row's merge state (goal 200 B)`,
    },
    { name: "re-push of the same deltas (dedup path)", opsPerSec: dedup, unit: "deltas" },
    { name: "pull in process (pages of 10k)", opsPerSec: pull, unit: "deltas" },
    {
      name: "deltaId verification alone (SHA-256 of each pushed delta)",
      opsPerSec: verify,
      unit: "deltas",
      note: `${((100 * ingest) / verify).toFixed(0)}% of ingest time`,
    },
  );
  await gateway.close({ flush: false });
  deltas.length = 0;
}

// HTTP on loopback: 100-delta pushes (and 1-delta ones, a realtime write's), 50 connections,
// against a bare hono route.
const BODIES = 400;
const pushBodies = (size: number, offset: number) =>
  Array.from({ length: BODIES }, (_, b) =>
    Buffer.from(
      unwrapOrThrow(
        encodeSyncPush({
          clientId: "http-client",
          deltas: makeDeltas(size, "http-client", offset + b * size),
          lastSeenHlc: HLC_ZERO,
        }),
      ),
    ),
  );
const bodies = pushBodies(100, 1_000_000);
const singleBodies = pushBodies(1, 2_000_000);
const responseSize = unwrapOrThrow(
  encodeSyncResponse({ deltas: [], serverHlc: clock.now(), hasMore: false }),
).byteLength;

async function cannon(url: string, token: string, sent = bodies): Promise<number> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: 50,
    duration: 5,
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": PROTO_CONTENT_TYPE },
    requests: [
      {
        setupRequest: (request: { body?: Buffer | string }) => {
          request.body = sent[next++ % BODIES] ?? "";
          return request;
        },
      },
    ],
  });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers from ${url}`);
  return result.requests.average;
}

/** Runs a server script in its own process (the load generator keeps this one) and waits for its URL. */
async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_GATEWAY_PROFILE=<dir>: CPU profiles of the servers, to see where a request's time goes.
  const profile = process.env.BENCH_GATEWAY_PROFILE;
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
      "--conditions=@lakesync/source",
      "--import",
      "tsx",
      ...args,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { url, child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

{
  log("bare hono route (own process)");
  const here = fileURLToPath(new URL(".", import.meta.url));
  const bare = await spawnServer([`${here}support/bare-server.ts`, String(responseSize)]);
  const bareRate = await cannon(`${bare.url}/push`, "none");
  const bareSingleRate = await cannon(`${bare.url}/push`, "none", singleBodies);
  await stopServer(bare.child);

  /** The push route of a Node gateway (its SQLite store) at one durability setting. */
  const gatewayRoute = async (durability: "full" | "normal", sent = bodies) => {
    log(`gateway push route (own process, SQLite store, synchronous ${durability})`);
    const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-"));
    const gateway = await spawnServer([`${here}../apps/gateway-server/src/main.ts`], {
      PORT: "0",
      LAKESYNC_DATA_DIR: dir,
      LAKESYNC_DURABILITY: durability,
      LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
      LAKESYNC_STATIC_DIR: join(dir, "none"),
    });
    const token = await devToken(DEV_JWT_SECRET, "bench", false);
    const rate = await cannon(`${gateway.url}/sync/todos/push`, token, sent);
    await stopServer(gateway.child);
    rmSync(dir, { recursive: true, force: true });
    return rate;
  };
  const fullRate = await gatewayRoute("full");
  const normalRate = await gatewayRoute("normal");
  const singleRate = await gatewayRoute("full", singleBodies);
  const note = (rate: number) =>
    `${((rate * 100) / 1000).toFixed(1)}k deltas/s; group commit; the ${BODIES} bodies repeat, so later rounds take the dedup path`;
  rows.push(
    {
      name: "bare hono route, same body sizes",
      opsPerSec: bareRate,
      unit: "requests",
      note: "50 connections, 100-delta bodies; server in its own process",
    },
    {
      name: "POST /sync/:id/push (JWT, decode, merge, SQLite commit with fsync, ack)",
      opsPerSec: fullRate,
      unit: "requests",
      baseline: "bare hono route, same body sizes",
      note: note(fullRate),
    },
    {
      name: "POST /sync/:id/push, LAKESYNC_DURABILITY=normal (no fsync per commit)",
      opsPerSec: normalRate,
      unit: "requests",
      baseline: "bare hono route, same body sizes",
      note: note(normalRate),
    },
    {
      name: "bare hono route, 1-delta bodies",
      opsPerSec: bareSingleRate,
      unit: "requests",
      note: "50 connections; server in its own process",
    },
    {
      name: "POST /sync/:id/push, 1-delta bodies (a realtime write's push)",
      opsPerSec: singleRate,
      unit: "requests",
      baseline: "bare hono route, 1-delta bodies",
      note: `SQLite commit with fsync; group commit; the ${BODIES} bodies repeat, so later rounds take the dedup path`,
    },
  );
}

process.stdout.write(table("gateway: push ingest and HTTP", rows));
