/**
 * @module tabs/tab-leader
 * Choosing one tab of an origin to sync, and telling the others when data changed.
 */

/** Options for {@link electTabLeader}. */
export interface TabLeaderOptions {
  /** Lock and channel name; one per app and user. Defaults to `lakesync`. */
  readonly name?: string;
  /** Called when this tab becomes the leader (it stays leader until it closes or resigns). */
  readonly onLeader: () => void;
  /** Called in every other tab when the leader announces a change. */
  readonly onRemoteChange?: () => void;
}

/** This tab's membership in the election. */
export interface TabLeadership {
  /** True while this tab holds the lock. */
  readonly isLeader: () => boolean;
  /** Tells the other tabs that synced data changed (they re-read or re-pull). */
  announceChange(): void;
  /** Leaves the election, releasing leadership if held. */
  resign(): void;
}

interface LockManagerLike {
  request(name: string, callback: () => Promise<void>): Promise<void>;
}

/**
 * Joins the election for `name` using the Web Locks API: the first tab to ask holds an exclusive
 * lock and leads; when it closes (or resigns) the browser hands the lock to the next tab, so
 * exactly one tab syncs at a time. Without Web Locks (old browsers, some test runtimes) every
 * tab leads, which is safe because outbox claims are atomic and pushes are idempotent.
 * Changes are announced over a BroadcastChannel of the same name.
 */
export function electTabLeader(options: TabLeaderOptions): TabLeadership {
  const name = `lakesync:${options.name ?? "lakesync"}`;
  let leader = false;
  let release: (() => void) | undefined;
  let resigned = false;
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(name) : undefined;
  if (channel && options.onRemoteChange) {
    const onChange = options.onRemoteChange;
    channel.onmessage = (event: MessageEvent) => {
      if (event.data === "changed") onChange();
    };
  }

  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks) {
    void locks.request(name, () => {
      if (resigned) return Promise.resolve();
      leader = true;
      options.onLeader();
      return new Promise<void>((resolve) => {
        release = () => {
          leader = false;
          resolve();
        };
      });
    });
  } else {
    leader = true;
    options.onLeader();
  }

  return {
    isLeader: () => leader,
    announceChange: () => channel?.postMessage("changed"),
    resign: () => {
      resigned = true;
      release?.();
      leader = false;
      channel?.close();
    },
  };
}
