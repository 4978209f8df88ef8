/**
 * @module replica/pending-calls
 * The calls a tab made of the shared replica's host and has no answer to yet: each is sent to the
 * current host once, sent again to the next host when the one it went to is gone, and settled by
 * its answer, by a host that failed to open, or by the tab closing.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  RemoteReplicaError,
  type ReplicaMethod,
  type WireError,
  type WireResult,
} from "./replica-protocol.js";

/** One call waiting for its answer. */
export interface PendingCall {
  readonly method: ReplicaMethod;
  readonly args: readonly unknown[];
  readonly resolve: (result: WireResult) => void;
  /** The host it was last sent to. */
  sentTo: string | undefined;
}

/** Sends call `id` to `host` (posts the call message). */
export type SendCall = (id: number, call: PendingCall, host: string) => void;

/** The unanswered calls of one tab (see the module comment). */
export class PendingCalls {
  readonly #pending = new Map<number, PendingCall>();
  readonly #send: SendCall;
  #nextId = 0;

  constructor(send: SendCall) {
    this.#send = send;
  }

  /** Makes a call, sent at once when there is a `host`, else when one arrives. */
  add<T>(
    method: ReplicaMethod,
    args: readonly unknown[],
    host: string | undefined,
  ): Promise<Result<T, LakeSyncError>> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const call: PendingCall = {
        method,
        args,
        sentTo: undefined,
        resolve: (result) =>
          resolve(result.ok ? Ok(result.value as T) : Err(new RemoteReplicaError(result.error))),
      };
      this.#pending.set(id, call);
      if (host) this.#post(id, call, host);
    });
  }

  /** Sends every call `host` has not received yet: the calls of a host that went away. */
  sendAll(host: string): void {
    for (const [id, call] of this.#pending) this.#post(id, call, host);
  }

  /** Settles call `id` with its answer (an unknown id is ignored). */
  settle(id: number, result: WireResult): void {
    const call = this.#pending.get(id);
    if (!call) return;
    this.#pending.delete(id);
    call.resolve(result);
  }

  /** Settles every call with `error`. */
  failAll(error: WireError): void {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) call.resolve({ ok: false, error });
  }

  #post(id: number, call: PendingCall, host: string): void {
    if (call.sentTo === host) return;
    call.sentTo = host;
    this.#send(id, call, host);
  }
}
