/**
 * Fakes of the browser's Web Locks and BroadcastChannel for several simulated tabs in one test,
 * with a way to crash a tab: its locks are released and its messages stop, with no goodbye.
 */
import type { TabChannel, TabChannelFactory } from "../../channel.js";
import type { LockManagerLike } from "../../tab-leader.js";

interface Waiter {
  readonly tab: string;
  readonly grant: () => void;
}

/** Several tabs of one origin: one lock manager and one set of channels, shared. */
export class FakeTabs {
  readonly #held = new Map<string, { tab: string; release: () => void }>();
  readonly #waiting = new Map<string, Waiter[]>();
  readonly #members = new Map<string, Set<{ tab: string; deliver: (m: unknown) => void }>>();
  readonly #crashed = new Set<string>();
  /** Messages dropped on the way to or from a tab (return true to drop). */
  drop: (message: unknown, from: string, to: string) => boolean = () => false;

  /** The lock manager as tab `tab` sees it. */
  locks(tab: string): LockManagerLike {
    return {
      request: (name, callback) =>
        new Promise<void>((done) => {
          const grant = () => {
            let released = false;
            const release = () => {
              if (released) return;
              released = true;
              if (this.#held.get(name)?.tab === tab) this.#held.delete(name);
              done();
              this.#next(name);
            };
            this.#held.set(name, { tab, release });
            void callback({ name }).then(release, release);
          };
          if (this.#held.has(name)) {
            const queue = this.#waiting.get(name) ?? [];
            queue.push({ tab, grant });
            this.#waiting.set(name, queue);
          } else grant();
        }),
    };
  }

  /** The channels as tab `tab` sees them. */
  channels(tab: string): TabChannelFactory {
    return (name): TabChannel => {
      const listeners = new Set<(message: unknown) => void>();
      const member = {
        tab,
        deliver: (message: unknown) => {
          for (const listener of listeners) listener(message);
        },
      };
      const group = this.#members.get(name) ?? new Set();
      this.#members.set(name, group);
      group.add(member);
      return {
        post: (message) => {
          if (this.#crashed.has(tab)) return;
          const copy = structuredClone(message);
          for (const other of group) {
            if (other === member || this.#crashed.has(other.tab)) continue;
            if (this.drop(copy, tab, other.tab)) continue;
            setTimeout(() => {
              if (!this.#crashed.has(other.tab)) other.deliver(copy);
            }, 0);
          }
        },
        listen: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close: () => {
          listeners.clear();
          group.delete(member);
        },
      };
    };
  }

  /** The tab that holds lock `name`, if any. */
  holder(name: string): string | undefined {
    return this.#held.get(name)?.tab;
  }

  /** Kills a tab: its locks go to the next tab in line and nothing it sends or is sent arrives. */
  crash(tab: string): void {
    this.#crashed.add(tab);
    for (const [name, queue] of this.#waiting)
      this.#waiting.set(
        name,
        queue.filter((w) => w.tab !== tab),
      );
    for (const held of [...this.#held.values()]) if (held.tab === tab) held.release();
  }

  #next(name: string): void {
    const queue = this.#waiting.get(name);
    const waiter = queue?.shift();
    if (waiter) waiter.grant();
  }
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  turns = 500,
): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error("the condition never held");
}
