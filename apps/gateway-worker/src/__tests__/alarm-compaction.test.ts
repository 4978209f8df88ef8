import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  type Catalogue,
  CatalogueError,
  createLakeLocation,
  type LakeLocation,
  openSqlCatalogue,
  type SqlCatalogue,
} from "@lakesync/catalogue/node";
import { Err, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlarmCompaction,
  type AlarmCompactionStorage,
  alarmCompactionSettings,
  earliest,
} from "../alarm-compaction.js";

/** A Durable Object's storage reduced to a map. */
class MapStorage implements AlarmCompactionStorage {
  readonly values = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return this.values.get(key) as T | undefined;
  }
  async put<T>(key: string, value: T): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<boolean> {
    return this.values.delete(key);
  }
}

const URI = "http://catalogue.test";
const HOUR = 3_600_000;
let dir: string;
let catalogue: SqlCatalogue;
let lake: { catalogue: Catalogue; location: LakeLocation };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-alarm-compaction-"));
  const adapter = new FileSystemAdapter({ root: join(dir, "lake") });
  catalogue = unwrapOrThrow(
    await openSqlCatalogue({
      warehouse: "file:///lake",
      adapter,
      sqlite: join(dir, "catalogue.sqlite"),
    }),
  );
  lake = { catalogue, location: unwrapOrThrow(createLakeLocation("file:///lake", adapter)) };
});

afterAll(async () => {
  await catalogue?.close();
  await rm(dir, { recursive: true, force: true });
});

function checks(storage = new MapStorage(), over: Catalogue = catalogue, lines: string[] = []) {
  const settings = alarmCompactionSettings({ CATALOGUE_URI: URI, COMPACTION_INTERVAL_MS: "1000" });
  if (!settings) throw new Error("compaction is on with a catalogue");
  return new AlarmCompaction({
    settings,
    lake: { ...lake, catalogue: over },
    namespace: ["gw"],
    storage,
    log: (line) => lines.push(line),
  });
}

describe("compaction settings of the Worker", () => {
  it("are off without a catalogue or with COMPACTION=off, and default to a 48 MiB budget", () => {
    expect(alarmCompactionSettings({})).toBeUndefined();
    expect(alarmCompactionSettings({ CATALOGUE_URI: URI, COMPACTION: "off" })).toBeUndefined();
    expect(
      alarmCompactionSettings({ CATALOGUE_URI: URI, COMPACTION_SMALL_FILES: "3" }),
    ).toMatchObject({
      intervalMs: 60_000,
      smallFiles: 3,
      deleteFiles: 8,
      memoryBudgetBytes: 48 * 1024 * 1024,
      maintenanceIntervalMs: HOUR,
    });
  });

  it("the alarm fires at the earlier of the next flush and the next check", () => {
    expect(earliest(undefined, undefined)).toBeUndefined();
    expect(earliest(5, undefined)).toBe(5);
    expect(earliest(undefined, 7)).toBe(7);
    expect(earliest(9, 7)).toBe(7);
  });
});

describe("compaction checks on the alarm", () => {
  it("a write arms one check an interval later; later writes do not push it back", async () => {
    const compaction = checks();
    expect(await compaction.arm(10_000)).toBe(11_000);
    expect(await compaction.arm(10_500)).toBe(11_000);
  });

  it("runs when due, then waits for the next write; maintenance at most once per interval", async () => {
    const storage = new MapStorage();
    const compaction = checks(storage);
    await compaction.arm(0);
    expect(await compaction.runIfDue(999)).toBe(1_000);
    expect(storage.values.get("lakesync-maintained-at")).toBeUndefined();
    expect(await compaction.runIfDue(1_000)).toBeUndefined();
    expect(storage.values.get("lakesync-maintained-at")).toBe(1_000);
    expect(await compaction.runIfDue(2_000)).toBeUndefined();
    expect(await compaction.arm(2_000)).toBe(3_000);
    expect(await compaction.runIfDue(3_000)).toBeUndefined();
    expect(storage.values.get("lakesync-maintained-at")).toBe(1_000);
    await compaction.arm(HOUR);
    await compaction.runIfDue(HOUR + 1_000);
    expect(storage.values.get("lakesync-maintained-at")).toBe(HOUR + 1_000);
  });

  it("a failing catalogue is logged and checked again an interval later", async () => {
    const failing = new Proxy(catalogue, {
      get(target, property, receiver) {
        if (property === "listTables")
          return async () =>
            Err(new CatalogueError("CATALOGUE_UNAVAILABLE", "the catalogue is down"));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const lines: string[] = [];
    const compaction = checks(new MapStorage(), failing, lines);
    await compaction.arm(0);
    expect(await compaction.runIfDue(1_000)).toBe(2_000);
    expect(lines.some((line) => line.includes("the catalogue is down"))).toBe(true);
  });
});
