/**
 * @module view
 * Rendering the list and wiring the controls to the shared replica.
 */
import type { SyncStatusEvent } from "@lakesync/client";
import type { Replica } from "./replica.js";
import { describeStatus } from "./status-words.js";

/** A todo row as SQLite returns it (booleans are 0/1). */
interface TodoRow {
  readonly id: string;
  readonly title: string | null;
  readonly completed: number | null;
  readonly created_at: string | null;
  readonly owner: string | null;
  readonly private: number | null;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
};

/** The text a row shows: its title, or a placeholder when it has none (never an empty line). */
function titleOf(row: TodoRow): { text: string; untitled: boolean } {
  const title = typeof row.title === "string" ? row.title.trim() : "";
  return title ? { text: title, untitled: false } : { text: "Untitled todo", untitled: true };
}

/** Renders the todos of a replica and keeps the page in step with it. */
export function mountView(replica: Replica): () => void {
  const { shared, user } = replica;
  const list = $<HTMLUListElement>("todo-list");
  const empty = $<HTMLParagraphElement>("empty");
  const counts = $<HTMLSpanElement>("counts");
  const form = $<HTMLFormElement>("new-todo");
  const title = $<HTMLInputElement>("new-title");
  const shareBox = $<HTMLInputElement>("new-shared");
  const status = $<HTMLDivElement>("sync-status");
  const label = status.querySelector<HTMLSpanElement>(".label");
  const outbox = status.querySelector<HTMLSpanElement>(".outbox");
  const notice = $<HTMLParagraphElement>("notice");
  const problem = $<HTMLParagraphElement>("problem");
  let editing: string | undefined;
  let latest: readonly TodoRow[] = [];
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;

  const say = (text: string, detail = "") => {
    notice.textContent = text;
    notice.title = detail;
    notice.hidden = false;
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      notice.hidden = true;
    }, 8_000);
  };
  /** Says when a write failed, and starts a sync cycle so the change leaves the outbox at once. */
  const report = (action: string, result: { ok: boolean; error?: { message: string } }) => {
    if (!result.ok)
      say(`Could not ${action} the todo: ${result.error?.message ?? "unknown error"}.`);
    void shared.syncNow({ afterWrite: true });
  };
  const now = () => new Date().toISOString();

  const render = (rows: readonly TodoRow[]) => {
    latest = rows;
    if (editing) return;
    list.replaceChildren(...rows.map(item));
    empty.hidden = rows.length > 0;
    const left = rows.filter((r) => !r.completed).length;
    counts.textContent = `${left} left · ${rows.length} total`;
  };

  const item = (row: TodoRow): HTMLLIElement => {
    const shown = titleOf(row);
    const li = document.createElement("li");
    li.className = `item${row.completed ? " done" : ""}`;
    li.dataset.testid = "todo-item";
    li.dataset.id = row.id;
    li.dataset.owner = row.owner ?? "";

    const check = document.createElement("input");
    check.type = "checkbox";
    check.checked = Boolean(row.completed);
    check.dataset.testid = "todo-toggle";
    check.setAttribute("aria-label", `complete ${shown.text}`);
    check.onchange = async () =>
      report(
        "update",
        await shared.update("todos", row.id, { completed: check.checked, updated_at: now() }),
      );

    const text = document.createElement("span");
    text.className = `title${shown.untitled ? " untitled" : ""}`;
    text.dataset.testid = "todo-title";
    text.textContent = shown.text;
    text.title = shown.untitled
      ? "This todo has no title: double-click to give it one"
      : "Double-click to edit";
    text.ondblclick = () => startEdit(li, text, row);

    const badge = document.createElement("button");
    badge.type = "button";
    badge.className = `badge${row.private ? "" : " shared"}`;
    badge.dataset.testid = "todo-share";
    badge.textContent = row.private ? "private" : "shared";
    badge.title = row.private
      ? "Only you see this; click to share"
      : "Everyone sees this; click to make private";
    badge.onclick = async () =>
      report(
        "share",
        await shared.update("todos", row.id, { private: !row.private, updated_at: now() }),
      );

    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = row.owner && row.owner !== user ? `by ${row.owner}` : "";

    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "icon";
    remove.dataset.testid = "todo-delete";
    remove.setAttribute("aria-label", `delete ${shown.text}`);
    remove.textContent = "×";
    remove.onclick = async () => report("delete", await shared.delete("todos", row.id));

    li.append(check, text, meta, badge, remove);
    return li;
  };

  const startEdit = (li: HTMLLIElement, text: HTMLSpanElement, row: TodoRow) => {
    editing = row.id;
    const input = document.createElement("input");
    input.className = "edit";
    input.dataset.testid = "todo-edit";
    input.value = row.title ?? "";
    let done = false;
    const finish = async (save: boolean) => {
      if (done) return;
      done = true;
      editing = undefined;
      const value = input.value.trim();
      if (save && value && value !== row.title)
        report("edit", await shared.update("todos", row.id, { title: value, updated_at: now() }));
      render(latest);
    };
    input.onkeydown = (event) => {
      if (event.key === "Enter") void finish(true);
      if (event.key === "Escape") void finish(false);
    };
    input.onblur = () => void finish(true);
    li.replaceChild(input, text);
    input.focus();
    input.select();
  };

  form.onsubmit = async (event) => {
    event.preventDefault();
    const value = title.value.trim();
    if (!value) return;
    const stamp = now();
    const result = await shared.insert("todos", {
      id: crypto.randomUUID(),
      title: value,
      completed: false,
      created_at: stamp,
      updated_at: stamp,
      owner: user,
      private: !shareBox.checked,
    });
    report("add", result);
    if (result.ok) {
      title.value = "";
      shareBox.checked = false;
    }
  };

  $<HTMLButtonElement>("clear-completed").onclick = async () => {
    for (const row of latest.filter((r) => r.completed))
      report("clear", await shared.delete("todos", row.id));
  };

  let lastStatus: SyncStatusEvent = { status: "idle", outboxDepth: 0 };
  const showStatus = (event: SyncStatusEvent) => {
    lastStatus = event;
    const shown = !navigator.onLine ? "offline" : event.status;
    status.dataset.status = shown;
    if (label) label.textContent = shown;
    if (outbox && event.outboxDepth >= 0) {
      outbox.textContent = String(event.outboxDepth);
      outbox.classList.toggle("pending", event.outboxDepth > 0);
      status.dataset.outbox = String(event.outboxDepth);
    }
    const words = describeStatus(event, navigator.onLine);
    status.title = words.tooltip;
    problem.textContent = words.notice ?? "";
    problem.hidden = words.notice === undefined;
    document.body.dataset.role = shared.isLeader ? "leader" : "follower";
    if (shared.clientId) document.body.dataset.clientId = shared.clientId;
  };

  const stopWatch = shared.watch<TodoRow>(
    "SELECT id, title, completed, created_at, owner, private FROM todos ORDER BY created_at, id",
    undefined,
    render,
  );
  const stopStatus = shared.onStatus(showStatus);
  if (shared.status) showStatus(shared.status);
  // Changes the gateway refused: the rows are already back to its version; say what happened.
  const stopRefused = shared.onRefused((event) => {
    const count = event.refused.length;
    say(
      `${count === 1 ? "A change was" : `${count} changes were`} not allowed and undone: only a todo's owner may delete it, make it private or give it away.`,
      event.refused.map((r) => r.message).join("\n"),
    );
  });
  const refreshDepth = async () => {
    const depth = await shared.outboxDepth();
    if (depth.ok) showStatus({ ...lastStatus, outboxDepth: depth.value });
  };
  const interval = setInterval(() => void refreshDepth(), 1_000);
  // The replica may live in a worker, which hears no page events: pass "online" on.
  const connectivity = () => {
    if (navigator.onLine) void shared.syncNow();
    void refreshDepth();
  };
  addEventListener("offline", connectivity);
  addEventListener("online", connectivity);
  return () => {
    stopWatch();
    stopStatus();
    stopRefused();
    clearInterval(interval);
    removeEventListener("offline", connectivity);
    removeEventListener("online", connectivity);
  };
}
