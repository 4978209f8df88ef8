/**
 * @module bench/client-opfs/worker
 * The dedicated worker of the persistence benchmark: hosts the replica (as the todo app's leader
 * worker does) and answers `open` and `write` messages from the page.
 */
import type { LocalDBEngine } from "@lakesync/client";
import { type BenchReplica, openBenchReplica } from "./replica.js";

let replica: BenchReplica | undefined;

type Request =
  | { readonly kind: "open"; readonly name: string; readonly engine: LocalDBEngine }
  | { readonly kind: "write"; readonly id: string };

self.onmessage = async (event: MessageEvent<Request>) => {
  const message = event.data;
  if (message.kind === "open") {
    const opened = await openBenchReplica(message.name, message.engine);
    if (!opened.ok) {
      self.postMessage({ error: opened.error.message });
      return;
    }
    replica = opened.value;
    self.postMessage({ engine: replica.engine });
    return;
  }
  if (!replica) {
    self.postMessage({ error: "not open" });
    return;
  }
  const t0 = performance.now();
  const written = await replica.write(message.id);
  self.postMessage(written.ok ? { ms: performance.now() - t0 } : { error: written.error.message });
};
