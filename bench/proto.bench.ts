/**
 * @module bench/proto
 * The wire protocol: encoding and decoding a `SyncResponse` of 1, 100 and 10k deltas with the
 * LakeSync codecs, with protobuf-es (generated code plus `toRowDelta`) and with protobufjs, against
 * `JSON.stringify`/`JSON.parse` of the same deltas (HLC as a decimal string) in the same run, plus
 * the bytes per delta of each encoding.
 *
 * The workload is a todo app's change log: 30% INSERTs of five columns, 60% UPDATEs of one or two,
 * 10% DELETEs; UUID row and client ids (eight clients), titles with some non-ASCII words, tag
 * arrays, nullable timestamps. `PROTO_BENCH_SIZES=1,100` picks other batch sizes.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type ColumnDelta,
  type ColumnValue,
  checkColumnValue,
  type DeltaOp,
  deltaId,
  type HLCTimestamp,
  parseHLC,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import {
  decodeSyncPush,
  decodeSyncResponse,
  encodeSyncPush,
  encodeSyncResponse,
  fromRowDelta,
  type SyncResponse,
  toRowDelta,
} from "@lakesync/proto";
import { type RowDelta as RowDeltaMessage, SyncResponseSchema } from "@lakesync/proto/gen";
import protobuf from "protobufjs";
import { type BenchRow, measure, table } from "./harness.js";

const SIZES = (process.env.PROTO_BENCH_SIZES ?? "1,100,10000").split(",").map(Number);
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const utf8 = new TextEncoder();

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "buy milk call Anna fix the sync bug review pull request plan trip to Kraków café book";

/** `n` deltas of a todo app, deterministic for a given seed. */
function todoDeltas(n: number, seed = 1): RowDelta[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const hex = (k: number) =>
    Array.from({ length: k }, () => pick([..."0123456789abcdef"])).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const clients = Array.from({ length: 8 }, uuid);
  const rows = Array.from({ length: Math.max(1, n >> 1) }, uuid);
  const words = WORDS.split(" ");
  let wall = 1_763_856_000_000;
  const columns: [string, () => ColumnValue][] = [
    ["title", () => Array.from({ length: 2 + Math.floor(r() * 5) }, () => pick(words)).join(" ")],
    ["done", () => r() < 0.5],
    ["priority", () => Math.floor(r() * 5)],
    ["due_at", () => (r() < 0.5 ? null : wall + Math.floor(r() * 1e8))],
    ["tags", () => (r() < 0.5 ? ["home"] : ["work", "urgent"])],
  ];
  return Array.from({ length: n }, () => {
    wall += Math.floor(r() * 50);
    const hlc = ((BigInt(wall) << 16n) | BigInt(Math.floor(r() * 4))) as HLCTimestamp;
    const x = r();
    const op: DeltaOp = x < 0.3 ? "INSERT" : x < 0.9 ? "UPDATE" : "DELETE";
    const changed: ColumnDelta[] = [];
    if (op === "INSERT")
      for (const [column, make] of columns) changed.push({ column, value: make() });
    if (op === "UPDATE") {
      const first = Math.floor(r() * columns.length);
      for (let j = 0; j < 1 + Math.floor(r() * 2); j++) {
        const [column, make] = columns[(first + j) % columns.length] as [string, () => ColumnValue];
        changed.push({ column, value: make() });
      }
    }
    const delta = {
      op,
      table: "todos",
      rowId: pick(rows),
      clientId: pick(clients),
      hlc,
      columns: changed,
    };
    return { ...delta, deltaId: deltaId(delta) };
  });
}

// --- JSON, the baseline: the same deltas with the HLC as a decimal string.
const toJson = (response: SyncResponse) =>
  JSON.stringify({
    deltas: response.deltas.map((d) => ({ ...d, hlc: d.hlc.toString() })),
    serverHlc: response.serverHlc.toString(),
    hasMore: response.hasMore,
  });

const HEX_ID = /^[0-9a-f]{64}$/;
/** JSON.parse plus the checks the protobuf decoders make, for a like-for-like comparison. */
function fromJsonChecked(text: string): RowDelta[] {
  const parsed = JSON.parse(text) as { deltas: (Omit<RowDelta, "hlc"> & { hlc: string })[] };
  return parsed.deltas.map((d) => {
    if (d.op !== "INSERT" && d.op !== "UPDATE" && d.op !== "DELETE") throw new Error("op");
    if (!d.table || !d.rowId || !d.clientId || !HEX_ID.test(d.deltaId)) throw new Error("ids");
    for (const c of d.columns)
      if (!c.column || !checkColumnValue(c.value).ok) throw new Error("value");
    return { ...d, hlc: unwrapOrThrow(parseHLC(d.hlc)) };
  });
}

// --- protobuf-es: generated code, with the package's mapping to and from core types.
function esEncode(response: SyncResponse): Uint8Array {
  const deltas = response.deltas.map((d) => unwrapOrThrow(fromRowDelta(d)));
  const { serverHlc, hasMore } = response;
  return toBinary(SyncResponseSchema, create(SyncResponseSchema, { serverHlc, hasMore, deltas }));
}
function esDecode(bytes: Uint8Array): RowDelta[] {
  const message = fromBinary(SyncResponseSchema, bytes, { readUnknownFields: false });
  return message.deltas.map((d) => unwrapOrThrow(toRowDelta(d)));
}

// --- protobufjs: the same schema, loaded at run time (it compiles its codecs on first use).
const schema = readFileSync(
  new URL("../packages/proto/src/lakesync.proto", import.meta.url),
  "utf8",
);
const PbjsResponse = protobuf.parse(schema).root.lookupType("lakesync.v1.SyncResponse");
interface PbjsDelta extends Omit<RowDeltaMessage, "hlc" | "$typeName"> {
  hlc: protobuf.Long | number;
}
function pbjsEncode(response: SyncResponse, messages: readonly RowDeltaMessage[]): Uint8Array {
  // protobufjs has no bigint support: 64-bit values go in as decimal strings, come out as Long.
  const deltas = messages.map((m) => ({ ...m, hlc: m.hlc.toString() }));
  return PbjsResponse.encode({
    deltas,
    serverHlc: response.serverHlc.toString(),
    hasMore: response.hasMore,
  }).finish();
}
function pbjsDecode(bytes: Uint8Array): RowDelta[] {
  const message = PbjsResponse.decode(bytes) as unknown as { deltas: PbjsDelta[] };
  return message.deltas.map((d) => {
    const hlc =
      typeof d.hlc === "number"
        ? BigInt(d.hlc)
        : (BigInt(d.hlc.high >>> 0) << 32n) | BigInt(d.hlc.low >>> 0);
    return unwrapOrThrow(toRowDelta({ ...d, hlc } as RowDeltaMessage));
  });
}

async function batch(
  n: number,
): Promise<{ decode: BenchRow[]; encode: BenchRow[]; bytes: string }> {
  log(`${n} deltas`);
  const response: SyncResponse = {
    deltas: todoDeltas(n),
    serverHlc: (1n << 60n) as HLCTimestamp,
    hasMore: true,
  };
  const json = toJson(response);
  const lakesync = unwrapOrThrow(encodeSyncResponse(response));
  const es = esEncode(response);
  const messages = response.deltas.map((d) => unwrapOrThrow(fromRowDelta(d)));
  const pbjs = pbjsEncode(response, messages);
  // Every path must agree before its speed means anything.
  const expected = JSON.stringify(unwrapOrThrow(decodeSyncResponse(lakesync)).deltas, (_k, v) =>
    typeof v === "bigint" ? `${v}` : v,
  );
  for (const [name, got] of [
    ["protobuf-es", esDecode(es)],
    ["protobufjs", pbjsDecode(pbjs)],
    ["JSON", fromJsonChecked(json)],
  ] as const) {
    if (JSON.stringify(got, (_k, v) => (typeof v === "bigint" ? `${v}` : v)) !== expected)
      throw new Error(`${name} decodes differently`);
  }
  if (es.length !== lakesync.length || pbjs.length !== lakesync.length)
    throw new Error("encodings differ in size");

  const push = {
    clientId: "c0ffee00-0000-4000-a000-000000000000",
    deltas: response.deltas,
    lastSeenHlc: response.serverHlc,
  };
  const ownDeltas = push.deltas.map((d) => ({ ...d, clientId: push.clientId }));
  const pushBytes = unwrapOrThrow(encodeSyncPush({ ...push, deltas: ownDeltas })).length;
  const pushJson = utf8.encode(
    JSON.stringify({
      ...push,
      deltas: ownDeltas.map((d) => ({ ...d, hlc: `${d.hlc}` })),
      lastSeenHlc: `${push.lastSeenHlc}`,
    }),
  ).length;
  unwrapOrThrow(decodeSyncPush(unwrapOrThrow(encodeSyncPush({ ...push, deltas: ownDeltas }))));

  const jsonBytes = utf8.encode(json).length;
  const perDelta = (b: number) => `${(b / n).toFixed(1)} B/delta`;
  const note = (b: number) => `${perDelta(b)}, ${(b / jsonBytes).toFixed(2)}x JSON bytes`;
  // Small batches repeat inside one timed call, so that a call lasts long enough to time.
  const reps = Math.max(1, Math.floor(2000 / n));
  const run = (fn: () => unknown) =>
    measure(
      () => {
        for (let i = 0; i < reps; i++) fn();
      },
      { opsPerCall: reps * n },
    );
  const label = n >= 1000 ? `${n / 1000}k` : `${n}`;

  const decode: BenchRow[] = [
    {
      name: `JSON.parse (${label})`,
      opsPerSec: await run(() => JSON.parse(json)),
      unit: "deltas",
      note: perDelta(jsonBytes),
    },
    {
      name: `LakeSync decodeSyncResponse (${label})`,
      opsPerSec: await run(() => decodeSyncResponse(lakesync)),
      unit: "deltas",
      baseline: `JSON.parse (${label})`,
      note: note(lakesync.length),
    },
    {
      name: `JSON.parse + same checks (${label})`,
      opsPerSec: await run(() => fromJsonChecked(json)),
      unit: "deltas",
      baseline: `JSON.parse (${label})`,
      note: "like-for-like: op, ids, values, HLC",
    },
    {
      name: `protobuf-es fromBinary + toRowDelta (${label})`,
      opsPerSec: await run(() => esDecode(es)),
      unit: "deltas",
      baseline: `JSON.parse (${label})`,
    },
    {
      name: `protobufjs decode + toRowDelta (${label})`,
      opsPerSec: await run(() => pbjsDecode(pbjs)),
      unit: "deltas",
      baseline: `JSON.parse (${label})`,
    },
    {
      name: `protobufjs decode only (${label})`,
      opsPerSec: await run(() => PbjsResponse.decode(pbjs)),
      unit: "deltas",
      baseline: `JSON.parse (${label})`,
      note: "Long HLCs, raw bytes, no checks",
    },
  ];
  const encode: BenchRow[] = [
    {
      name: `JSON.stringify (${label})`,
      opsPerSec: await run(() => toJson(response)),
      unit: "deltas",
      note: perDelta(jsonBytes),
    },
    {
      name: `LakeSync encodeSyncResponse (${label})`,
      opsPerSec: await run(() => encodeSyncResponse(response)),
      unit: "deltas",
      baseline: `JSON.stringify (${label})`,
      note: note(lakesync.length),
    },
    {
      name: `protobuf-es fromRowDelta + toBinary (${label})`,
      opsPerSec: await run(() => esEncode(response)),
      unit: "deltas",
      baseline: `JSON.stringify (${label})`,
    },
    {
      name: `protobufjs encode only (${label})`,
      opsPerSec: await run(() => pbjsEncode(response, messages)),
      unit: "deltas",
      baseline: `JSON.stringify (${label})`,
      note: "prepared messages, HLCs as decimal strings",
    },
  ];
  const gzJson = gzipSync(utf8.encode(json)).length;
  const gzProto = gzipSync(lakesync).length;
  const bytes = [
    `| ${label} | ${perDelta(jsonBytes)} | ${perDelta(lakesync.length)} (${(lakesync.length / jsonBytes).toFixed(2)}x) |`,
    `${perDelta(pushJson)} | ${perDelta(pushBytes)} (${(pushBytes / pushJson).toFixed(2)}x) |`,
    `${perDelta(gzJson)} | ${perDelta(gzProto)} (${(gzProto / gzJson).toFixed(2)}x) |`,
  ].join(" ");
  return { decode, encode, bytes };
}

const results = [];
for (const n of SIZES) results.push(await batch(n));

const sizes = SIZES.map((n) => (n >= 1000 ? `${n / 1000}k` : `${n}`)).join(", ");
console.log(
  table(
    `Wire protocol: decoding a SyncResponse (${sizes} deltas; higher is faster)`,
    results.flatMap((r) => r.decode),
  ),
);
console.log(
  table(
    `Wire protocol: encoding a SyncResponse (${sizes} deltas)`,
    results.flatMap((r) => r.encode),
  ),
);
console.log(
  [
    "### Wire protocol: bytes per delta (same deltas; a push carries one client's deltas, a response eight clients')",
    "",
    "| deltas | JSON response | protobuf response | JSON push | protobuf push | gzip JSON response | gzip protobuf response |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.map((r) => r.bytes),
    "",
  ].join("\n"),
);
