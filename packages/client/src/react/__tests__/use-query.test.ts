// @vitest-environment happy-dom
import { HLC, unwrapOrThrow } from "@lakesync/core";
import { act, cleanup, render, screen } from "@testing-library/react";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { LocalDB } from "../../db/local-db.js";
import { applyDeltas } from "../../db/row-store.js";
import { registerSchema } from "../../db/schema-registry.js";
import { MemoryQueue } from "../../queue/memory-queue.js";
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
});
