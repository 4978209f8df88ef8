// @vitest-environment happy-dom
import { HLC, unwrapOrThrow } from "@lakesync/core";
import { act, cleanup, render, screen } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { applyDeltas } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemorySnapshotStore } from "../../db/snapshot-store.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
import { openReplicaEngine } from "../../replica/replica-engine.js";
import { SharedReplica } from "../../replica/shared-replica.js";
import { FakeGateway } from "../../sync/__tests__/fake-gateway.js";
import { eventually } from "../../tabs/__tests__/support/fake-tabs.js";
import { localChannels } from "../../tabs/channel.js";
import { SyncTracker } from "../../tracker/sync-tracker.js";
import { useQuery } from "../use-query.js";

afterEach(cleanup);

interface Todo {
  readonly id: string;
  readonly title: string;
}

function TodoList({ db }: { db: LocalDB | null }) {
  const { rows, error } = useQuery<Todo>(db, "SELECT id, title FROM todos ORDER BY id");
  if (error) return createElement("p", { role: "alert" }, error.message);
  return createElement("ul", null, ...rows.map((r) => createElement("li", { key: r.id }, r.title)));
}

async function setup() {
  const db = unwrapOrThrow(await LocalDB.open({ name: "react", persistDebounceMs: 60_000 }));
  unwrapOrThrow(
    registerSchema(db, { table: "todos", columns: [{ name: "title", type: "string" }] }),
  );
  const tracker = new SyncTracker({
    db,
    queue: new MemoryQueue(),
    clock: new HLC(),
    clientId: "me",
  });
  return { db, tracker };
}

describe("useQuery", () => {
  it("renders the rows and re-renders after a tracked write", async () => {
    const { db, tracker } = await setup();
    render(createElement(TodoList, { db }));
    expect(screen.queryAllByRole("listitem")).toHaveLength(0);
    await act(async () => {
      unwrapOrThrow(await tracker.insert("todos", { id: "a", title: "milk" }));
    });
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["milk"]);
  });

  it("re-renders when synced deltas change the table", async () => {
    const { db } = await setup();
    render(createElement(TodoList, { db }));
    const other = await setup();
    const delta = unwrapOrThrow(await other.tracker.insert("todos", { id: "b", title: "bread" }));
    await act(async () => {
      if (delta) unwrapOrThrow(applyDeltas(db, [delta]));
    });
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["bread"]);
  });

  it("shows nothing while the database is opening, and reports bad SQL as an error", async () => {
    const { db } = await setup();
    const view = render(createElement(TodoList, { db: null }));
    expect(screen.queryAllByRole("listitem")).toHaveLength(0);
    function Broken() {
      const { error } = useQuery(db, "SELECT nope FROM missing");
      return createElement("p", { role: "alert" }, error ? "failed" : "ok");
    }
    view.rerender(createElement(Broken));
    expect(screen.getByRole("alert").textContent).toBe("failed");
  });

  it("follows a replica shared between tabs: a write in another tab re-renders this one", async () => {
    const channels = localChannels();
    const open = () =>
      openReplicaEngine({
        clientId: "shared",
        name: "react-shared",
        transport: new FakeGateway().transport(),
        schemas: [{ table: "todos", columns: [{ name: "title", type: "string" }] }],
        snapshots: new MemorySnapshotStore(),
        queue: new MemoryQueue(),
      });
    const leader = SharedReplica.open({
      name: "react",
      open,
      channels,
      locks: null,
      autoSync: false,
    });
    const follower = SharedReplica.open({
      name: "react",
      open,
      channels,
      locks: { request: () => new Promise<never>(() => {}) },
      autoSync: false,
    });
    function Shared() {
      const { rows } = useQuery<Todo>(follower, "SELECT id, title FROM todos ORDER BY id");
      return createElement(
        "ul",
        null,
        ...rows.map((r) => createElement("li", { key: r.id }, r.title)),
      );
    }
    render(createElement(Shared));
    await act(async () => {
      unwrapOrThrow(await leader.insert("todos", { id: "a", title: "from the other tab" }));
    });
    await eventually(() => screen.queryAllByRole("listitem").length === 1);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "from the other tab",
    ]);
    await follower.close();
    await leader.close();
  });
});
