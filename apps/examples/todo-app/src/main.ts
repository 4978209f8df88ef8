/**
 * @module main
 * The todo app: pick a user, open this tab's replica, render, sync.
 */
import "./styles.css";
import { openReplica } from "./replica.js";
import { currentUser, rememberUser, USERS } from "./session.js";
import { mountView } from "./view.js";

async function start(): Promise<void> {
  const user = currentUser();
  const picker = document.getElementById("user-picker") as HTMLSelectElement | null;
  if (picker) {
    if (!USERS.includes(user as (typeof USERS)[number])) picker.add(new Option(user, user));
    picker.value = user;
    picker.onchange = () => {
      rememberUser(picker.value);
      const url = new URL(location.href);
      url.searchParams.delete("user");
      location.replace(url);
    };
  }
  const replica = await openReplica(user);
  mountView(replica);
  replica.sync.start();
  document.body.dataset.ready = "true";
}

if (
  "serviceWorker" in navigator &&
  location.protocol === "http:" &&
  location.hostname === "127.0.0.1"
) {
  void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
} else if ("serviceWorker" in navigator && location.protocol === "https:") {
  void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
}

start().catch((error: unknown) => {
  document.body.dataset.ready = "error";
  const message = error instanceof Error ? error.message : String(error);
  const app = document.getElementById("app");
  if (app) app.insertAdjacentHTML("afterbegin", `<p class="empty" data-testid="fatal"></p>`);
  const fatal = document.querySelector('[data-testid="fatal"]');
  if (fatal) fatal.textContent = `Could not start: ${message}`;
});
