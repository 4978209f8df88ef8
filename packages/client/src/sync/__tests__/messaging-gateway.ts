/**
 * An in-memory gateway that sends realtime messages the way the real one does: after each push
 * that logged something, every live subscriber is queued a `deltas` message from the log's head
 * before the push to its head after, without the subscriber's own deltas. The test delivers
 * queued messages when it chooses, so they interleave with cycles; it can also drop a
 * subscriber's connection, bring it back, or turn the next message into a bare "changed".
 */
import { encodeHLC, type HLCTimestamp, Ok, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import type { SyncNotification } from "@lakesync/proto";
import type { SyncTransport } from "../../transport/sync-transport.js";

const stamp = (n: number) =>
  (unwrapOrThrow(encodeHLC(1_700_000_000_000, 0)) + BigInt(n)) as HLCTimestamp;

interface Subscriber {
  readonly onChange: (notification?: SyncNotification) => void;
  readonly onConnection: ((live: boolean) => void) | undefined;
  live: boolean;
  readonly queue: SyncNotification[];
}

/** Options of {@link MessagingGateway.transport}. */
export interface MessagingTransportOptions {
  /** Whether the transport reports its connection (`onConnection`); defaults to true. */
  readonly reportsConnection?: boolean;
}

export class MessagingGateway {
  readonly log: { seq: HLCTimestamp; delta: RowDelta }[] = [];
  readonly #seen = new Set<string>();
  /** Every call, in order: `push:<client>` or `pull:<client>`. */
  readonly calls: string[] = [];
  readonly #subscribers = new Map<string, Subscriber>();
  readonly #held = new Map<string, Promise<void>>();

  /** The seq of the newest log entry. */
  get head(): HLCTimestamp {
    return stamp(this.log.length);
  }

  /** Logs deltas as a push from `clientId` would, and queues every live subscriber's message. */
  accept(deltas: readonly RowDelta[]): void {
    const since = this.head;
    const logged = deltas.filter((d) => !this.#seen.has(d.deltaId));
    if (logged.length === 0) return;
    for (const delta of logged) {
      this.#seen.add(delta.deltaId);
      this.log.push({ seq: stamp(this.log.length + 1), delta });
    }
    for (const [id, subscriber] of this.#subscribers) {
      if (!subscriber.live) continue;
      const theirs = logged.filter((d) => d.clientId !== id);
      subscriber.queue.push({
        kind: "deltas",
        sinceHlc: since,
        serverHlc: this.head,
        tables: [...new Set(theirs.map((d) => d.table))],
        deltas: theirs,
      });
    }
  }

  /** Hands `clientId` up to `max` of its queued messages, oldest first; returns how many. */
  deliver(clientId: string, max = Number.POSITIVE_INFINITY): number {
    const subscriber = this.#subscribers.get(clientId);
    let delivered = 0;
    while (subscriber && delivered < max) {
      const next = subscriber.queue.shift();
      if (!next) break;
      delivered++;
      subscriber.onChange(next);
    }
    return delivered;
  }

  /** Messages queued for `clientId`. */
  pending(clientId: string): number {
    return this.#subscribers.get(clientId)?.queue.length ?? 0;
  }

  /** Loses the next queued message of `clientId` while its connection stays up. */
  drop(clientId: string): void {
    this.#subscribers.get(clientId)?.queue.shift();
  }

  /** Holds the pushes of `clientId` until the returned function is called. */
  holdPushes(clientId: string): () => void {
    let release = () => {};
    this.#held.set(
      clientId,
      new Promise((resolve) => {
        release = () => {
          this.#held.delete(clientId);
          resolve();
        };
      }),
    );
    return release;
  }

  /** Turns the next queued message of `clientId` into a bare "changed" (too large to carry). */
  bareChanged(clientId: string): void {
    const queue = this.#subscribers.get(clientId)?.queue;
    const next = queue?.[0];
    if (queue && next) queue[0] = { serverHlc: next.serverHlc, tables: next.tables, deltas: [] };
  }

  /** Drops the connection of `clientId`: its queued messages are lost, and so are later ones. */
  disconnect(clientId: string): void {
    const subscriber = this.#subscribers.get(clientId);
    if (!subscriber?.live) return;
    subscriber.live = false;
    subscriber.queue.length = 0;
    subscriber.onConnection?.(false);
  }

  /** Connects `clientId` again: live from now on, then told that something may have changed. */
  reconnect(clientId: string): void {
    const subscriber = this.#subscribers.get(clientId);
    if (!subscriber || subscriber.live) return;
    subscriber.live = true;
    subscriber.onConnection?.(true);
    subscriber.onChange();
  }

  transport(clientId: string, options: MessagingTransportOptions = {}): SyncTransport {
    return {
      push: async (request) => {
        this.calls.push(`push:${clientId}`);
        await this.#held.get(clientId);
        this.accept(request.deltas);
        return Ok({ serverHlc: this.head });
      },
      pull: async (request) => {
        this.calls.push(`pull:${clientId}`);
        const after = this.log.filter((e) => e.seq > request.sinceHlc);
        const page = after.slice(0, request.maxDeltas);
        return Ok({
          deltas: page.map((e) => e.delta),
          serverHlc: page[page.length - 1]?.seq ?? this.head,
          hasMore: after.length > page.length,
        });
      },
      subscribe: (onChange, subscribe) => {
        const onConnection =
          options.reportsConnection === false ? undefined : subscribe?.onConnection;
        this.#subscribers.set(clientId, { onChange, onConnection, live: true, queue: [] });
        onConnection?.(true);
        return () => {
          this.#subscribers.delete(clientId);
        };
      },
    };
  }
}
