/**
 * @module gateway/serial
 * Running async tasks one at a time, in call order.
 */

/** A queue that runs each task after the previous one settled, whatever its outcome. */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every earlier task has settled; resolves with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(task, task);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
