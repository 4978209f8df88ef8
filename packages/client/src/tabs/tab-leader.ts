/**
 * @module tabs/tab-leader
 * Choosing the one tab of an origin that owns a shared replica, and handing the role to another
 * tab when it closes or crashes.
 */

/** The part of the Web Locks API the election needs (`navigator.locks`, or a fake in tests). */
export interface LockManagerLike {
  request(name: string, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

/** Options for {@link electTabLeader}. */
export interface TabLeaderOptions {
  /** The lock name; one per shared replica. */
  readonly name: string;
  /** Called once when this tab becomes the leader (it stays leader until it closes or resigns). */
  readonly onLeader: () => void;
  /**
   * The lock manager; defaults to `navigator.locks`. `null` (or a runtime without Web Locks)
   * makes this tab lead at once: the caller then assumes it is alone.
   */
  readonly locks?: LockManagerLike | null | undefined;
}

/** This tab's membership in the election. */
export interface TabLeadership {
  /** True while this tab holds the lock. */
  readonly isLeader: () => boolean;
  /** Leaves the election, releasing leadership if held (a waiting request never leads). */
  resign(): void;
}

/** The runtime's Web Locks, if it has them. */
export function webLocks(): LockManagerLike | undefined {
  return (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
}

/**
 * Joins the election for `name` with an exclusive Web Lock: the first tab to ask holds it and
 * leads; the others wait in the browser's queue. When the leader closes, crashes or resigns the
 * browser releases the lock and hands it to the next waiting tab at once, so there is never more
 * than one leader and a new one follows within the time it takes to grant a lock.
 */
export function electTabLeader(options: TabLeaderOptions): TabLeadership {
  let leader = false;
  let resigned = false;
  let release: (() => void) | undefined;
  const locks = options.locks === undefined ? webLocks() : options.locks;
  const lead = () => {
    leader = true;
    options.onLeader();
  };
  if (locks) {
    void locks
      .request(options.name, () => {
        if (resigned) return Promise.resolve();
        lead();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      })
      .catch(() => undefined);
  } else {
    lead();
  }
  return {
    isLeader: () => leader,
    resign: () => {
      resigned = true;
      leader = false;
      release?.();
      release = undefined;
    },
  };
}
