/**
 * @module replica/replica-protocol
 * The messages the tabs of a shared replica exchange with the tab that hosts it. They travel
 * by structured clone (bigint HLCs survive; error classes do not, so errors travel as data).
 */
import { LakeSyncError, type Result } from "@lakesync/core";
import type { SyncStatusEvent } from "../sync/sync-coordinator.js";

/** What a tab may ask the host to do. */
export type ReplicaMethod =
  | "query"
  | "insert"
  | "update"
  | "delete"
  | "syncNow"
  | "depth"
  | "flush";

/** The channel (and lock) name of the replica called `name`. */
export function replicaChannelName(name: string): string {
  return `lakesync-replica:${name}`;
}

/** An error as it travels between tabs. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly name: string;
  readonly status?: number;
}

/** A result as it travels between tabs. */
export type WireResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: WireError };

/** A status change as it travels between tabs. */
export interface WireStatus {
  readonly status: SyncStatusEvent["status"];
  readonly outboxDepth: number;
  readonly error?: WireError;
}

/** Every message on a replica's channel. */
export type ReplicaMessage =
  /** A tab looks for the host (on start). */
  | { readonly kind: "who"; readonly from: string }
  /** The host introduces itself: on start, and in answer to `who`. */
  | {
      readonly kind: "host";
      readonly host: string;
      readonly clientId: string;
      readonly status: WireStatus | undefined;
    }
  /** The leader could not open the replica; calls fail with this error until a host appears. */
  | { readonly kind: "failed"; readonly error: WireError }
  /** A tab's request to the host `host`. */
  | {
      readonly kind: "call";
      readonly from: string;
      readonly host: string;
      readonly id: number;
      readonly method: ReplicaMethod;
      readonly args: readonly unknown[];
    }
  /** The host's answer to one call. */
  | {
      readonly kind: "result";
      readonly to: string;
      readonly host: string;
      readonly id: number;
      readonly result: WireResult;
    }
  /** Tables a committed write changed (lower-cased names). */
  | { readonly kind: "changed"; readonly host: string; readonly tables: readonly string[] }
  /** The sync coordinator's status changed. */
  | { readonly kind: "status"; readonly host: string; readonly status: WireStatus }
  /** Events the coordinator reports (`refused`, `progress`), passed on as they are. */
  | {
      readonly kind: "event";
      readonly host: string;
      readonly name: "refused" | "progress";
      readonly event: unknown;
    };

/** True when `value` has the shape of a replica message (other traffic on the channel is ignored). */
export function isReplicaMessage(value: unknown): value is ReplicaMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string"
  );
}

/** Turns any error into its travelling form. */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const { code, status } = error as { code?: unknown; status?: unknown };
    return {
      code: typeof code === "string" ? code : "UNKNOWN",
      message: error.message,
      name: error.name,
      ...(typeof status === "number" ? { status } : {}),
    };
  }
  return { code: "UNKNOWN", message: String(error), name: "Error" };
}

/** An error that happened in the host tab, with its code, name and HTTP status kept. */
export class RemoteReplicaError extends LakeSyncError {
  /** The HTTP status of a transport error, when there was one. */
  readonly status: number | undefined;

  constructor(wire: WireError) {
    super(wire.code, wire.message);
    this.name = wire.name;
    this.status = wire.status;
  }
}

/** A result in its travelling form. */
export function toWireResult(result: Result<unknown, unknown>): WireResult {
  return result.ok
    ? { ok: true, value: result.value }
    : { ok: false, error: toWireError(result.error) };
}

/** A status event in its travelling form. */
export function toWireStatus(event: SyncStatusEvent): WireStatus {
  return {
    status: event.status,
    outboxDepth: event.outboxDepth,
    ...(event.error ? { error: toWireError(event.error) } : {}),
  };
}

/** A status event back from its travelling form. */
export function fromWireStatus(wire: WireStatus): SyncStatusEvent {
  return {
    status: wire.status,
    outboxDepth: wire.outboxDepth,
    ...(wire.error ? { error: new RemoteReplicaError(wire.error) } : {}),
  };
}
