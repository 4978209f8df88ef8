/**
 * @module main
 * The todo app: pick a user, join their replica (shared by every tab), render.
 */
import "./styles.css";
import { openReplica } from "./replica.js";
import { currentUser, rememberUser, USERS } from "./session.js";
import { mountView } from "./view.js";

async function start(): Promise<void> {
  const user = await currentUser();
  const picker = document.getElementById("user-picker") as HTMLSelectElement | null;
  if (picker) {
    if (!USERS.includes(user as (typeof USERS)[number])) picker.add(new Option(user, user));
    picker.value = user;
    picker.onchange = async () => {
      await rememberUser(picker.value);
      const url = new URL(location.href);
      url.searchParams.delete("user");
      location.replace(url);
    };
  }
  const replica = openReplica(user);
  mountView(replica);
  const ready = await replica.shared.ready();
  if (!ready.ok) throw ready.error;
  document.body.dataset.clientId = ready.value;
  document.body.dataset.ready = "true";
}

/** The service worker precaches the app shell on install, so even a second visit can be offline. */
async function registerServiceWorker(): Promise<void> {
  const secure = location.protocol === "https:";
  const local = location.protocol === "http:" && location.hostname === "127.0.0.1";
  if (!("serviceWorker" in navigator) || !(secure || local)) return;
  try {
    await navigator.serviceWorker.register("/sw.js");
    await navigator.serviceWorker.ready;
    document.body.dataset.offlineReady = "true";
  } catch {
    // Without a service worker the app still works online.
  }
}

void registerServiceWorker();
start().catch((error: unknown) => {
  document.body.dataset.ready = "error";
  const message = error instanceof Error ? error.message : String(error);
  const app = document.getElementById("app");
  if (app) app.insertAdjacentHTML("afterbegin", `<p class="empty" data-testid="fatal"></p>`);
  const fatal = document.querySelector('[data-testid="fatal"]');
  if (fatal) fatal.textContent = `Could not start: ${message}`;
});
