/**
 * @module main
 * The analyst dashboard: the todo gateway's lake in DuckDB-WASM, todos per user, done vs open
 * over time, and a slider that replays the table as of earlier HLCs from the delta history.
 */
import "./styles.css";
import { type TableHistory, TimeTraveller } from "@lakesync/analyst";
import { readLakeTable } from "@lakesync/catalogue";
import { formatHLC, type Row, type TableSchema } from "@lakesync/core";
import { drawChart } from "./chart.js";
import { type Connection, loadRows, query, startDuckDB } from "./duck.js";
import { adminToken, openLake } from "./lake.js";
import { timeline } from "./timeline.js";

const params = new URLSearchParams(window.location.search);
const namespace = [params.get("ns") ?? "todos"];
const table = params.get("table") ?? "todos";
const $ = (id: string) => document.getElementById(id) as HTMLElement;

function status(text: string, state: "loading" | "ready" | "error" = "loading") {
  $("status").textContent = text;
  $("status").dataset.state = state;
}

async function render(connection: Connection): Promise<void> {
  const users = await query(
    connection,
    `SELECT coalesce(owner, '(none)') AS owner, count(*) AS total,
            count(*) FILTER (WHERE completed) AS done, count(*) FILTER (WHERE NOT coalesce(completed, false)) AS open
     FROM "${table}" GROUP BY ALL ORDER BY owner`,
  );
  const [totals] = await query(
    connection,
    `SELECT count(*) AS total, count(*) FILTER (WHERE completed) AS done,
            count(*) FILTER (WHERE NOT coalesce(completed, false)) AS open FROM "${table}"`,
  );
  $("total").textContent = String(totals?.total ?? 0);
  $("total-done").textContent = String(totals?.done ?? 0);
  $("total-open").textContent = String(totals?.open ?? 0);
  $("users").replaceChildren(
    ...users.map((u) => {
      const tr = document.createElement("tr");
      tr.dataset.testid = "user-row";
      tr.dataset.owner = String(u.owner);
      tr.dataset.total = String(u.total);
      tr.dataset.done = String(u.done);
      tr.dataset.open = String(u.open);
      for (const value of [u.owner, u.total, u.done, u.open]) {
        const td = document.createElement("td");
        td.textContent = String(value);
        tr.append(td);
      }
      return tr;
    }),
  );
}

async function replay(
  connection: Connection,
  history: TableHistory,
  index: number,
  moveMarker: (i: number) => void,
) {
  const moment = history.moments()[index];
  if (moment === undefined) return;
  const asOf = history.asOf(moment);
  if (!asOf.ok) {
    status(asOf.error.message, "error");
    return;
  }
  await loadRows(connection, table, asOf.value.schema, asOf.value.rows);
  await render(connection);
  $("as-of").textContent = new Date(Number(moment >> 16n))
    .toISOString()
    .replace("T", " ")
    .slice(0, 19);
  $("as-of-hlc").textContent = `HLC ${formatHLC(moment)} · ${asOf.value.deltas} deltas folded`;
  moveMarker(index);
  status(`${asOf.value.rows.size} rows as of HLC · DuckDB-WASM`, "ready");
  document.body.dataset.asOfIndex = String(index);
}

async function start(): Promise<void> {
  const origin = window.location.origin;
  const token = await adminToken(origin, params);
  if (!token.ok) return status(token.error.message, "error");
  const lake = await openLake(origin, token.value);
  if (!lake.ok) return status(lake.error.message, "error");
  status("starting DuckDB-WASM…");
  const traveller = new TimeTraveller({ ...lake.value, namespace });
  const [connection, current, history] = await Promise.all([
    startDuckDB(),
    readLakeTable({ ...lake.value, namespace, table }),
    traveller.history(table),
  ]);
  if (!current.ok)
    return status(`cannot read ${namespace.join(".")}.${table}: ${current.error.message}`, "error");
  const schema: TableSchema = current.value.schema;
  const rows: ReadonlyMap<string, Row> = current.value.rows;
  await loadRows(connection, table, schema, rows);
  await render(connection);
  $("as-of").textContent = "now";
  $("as-of-hlc").textContent =
    `snapshot ${current.value.snapshotId ?? "–"} of ${namespace.join(".")}.${table}`;
  const slider = $("time-slider") as HTMLInputElement;
  if (history.ok) {
    const moments = history.value.moments();
    const points = timeline(history.value);
    const moveMarker = drawChart($("chart"), points);
    slider.max = String(Math.max(0, moments.length - 1));
    slider.value = slider.max;
    moveMarker(moments.length - 1);
    let pending = Promise.resolve();
    slider.addEventListener("input", () => {
      const index = Number(slider.value);
      pending = pending.then(() => replay(connection, history.value, index, moveMarker));
    });
    $("foot").textContent =
      `${history.value.deltas.length} deltas in ${namespace.join(".")}._lakesync_history`;
  } else {
    slider.disabled = true;
    $("foot").textContent = `no time travel: ${history.error.message}`;
  }
  status(`${rows.size} live rows · DuckDB-WASM`, "ready");
  document.body.dataset.ready = "true";
}

start().catch((error: unknown) =>
  status(`failed: ${error instanceof Error ? error.message : String(error)}`, "error"),
);
