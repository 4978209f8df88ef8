/**
 * @module tests/e2e/opfs-page/main
 * The page of tests/e2e/opfs-handover.e2e.ts: starts workers that open the same OPFS database
 * and passes the test's calls to them (`window.opfsWorkers`).
 */

const workers = new Map<number, Worker>();
let next = 0;

function call(id: number, message: unknown): Promise<Record<string, unknown>> {
  const worker = workers.get(id);
  if (!worker) return Promise.resolve({ error: "no such worker" });
  return new Promise((resolve) => {
    worker.addEventListener("message", (event) => resolve(event.data), { once: true });
    worker.postMessage(message);
  });
}

(globalThis as Record<string, unknown>).opfsWorkers = {
  start(): number {
    const id = next++;
    workers.set(
      id,
      new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: `w${id}` }),
    );
    return id;
  },
  call,
  /** Ends a worker at once, as a crashed or closed tab ends its replica worker. */
  terminate(id: number): void {
    workers.get(id)?.terminate();
    workers.delete(id);
  },
};
