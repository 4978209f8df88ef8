/**
 * @module tabs/channel
 * The message channel the tabs of one origin share (a BroadcastChannel, or a fake in tests).
 */

/** A broadcast channel: every message posted reaches every other member, never the sender. */
export interface TabChannel {
  /** Sends a structured-cloneable message to every other member. */
  post(message: unknown): void;
  /** Calls `listener` with every message from another member; returns a function that stops. */
  listen(listener: (message: unknown) => void): () => void;
  /** Leaves the channel. */
  close(): void;
}

/** Opens a member of the channel called `name`. */
export type TabChannelFactory = (name: string) => TabChannel;

/**
 * Channels over `BroadcastChannel` (every browser tab and worker of an origin, and Node).
 * Returns `undefined` where the runtime has none.
 */
export function broadcastChannels(): TabChannelFactory | undefined {
  if (typeof BroadcastChannel !== "function") return undefined;
  return (name) => {
    const channel = new BroadcastChannel(name);
    const listeners = new Set<(message: unknown) => void>();
    channel.onmessage = (event: MessageEvent) => {
      for (const listener of listeners) listener(event.data);
    };
    return {
      post: (message) => channel.postMessage(message),
      listen: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => {
        listeners.clear();
        channel.close();
      },
    };
  };
}

/**
 * Channels within one JavaScript realm, for runtimes without `BroadcastChannel`: the members of
 * one factory reach each other (a tab's host and its own client), asynchronously, as a
 * BroadcastChannel would deliver.
 */
export function localChannels(): TabChannelFactory {
  const members = new Map<string, Set<(message: unknown) => void>>();
  return (name) => {
    const listeners = new Set<(message: unknown) => void>();
    const deliver = (message: unknown) => {
      for (const listener of listeners) listener(message);
    };
    let group = members.get(name);
    if (!group) {
      group = new Set();
      members.set(name, group);
    }
    const others = group;
    others.add(deliver);
    return {
      post: (message) => {
        const copy = structuredClone(message);
        for (const member of others) if (member !== deliver) queueMicrotask(() => member(copy));
      },
      listen: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => {
        listeners.clear();
        others.delete(deliver);
      },
    };
  };
}
