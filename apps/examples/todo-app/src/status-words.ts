/**
 * @module status-words
 * Sync states and errors in words that say what is going on and what to do.
 */
import type { SyncStatusEvent } from "@lakesync/client";

/** What the status pill's tooltip says, and a notice to show when the user must act. */
export interface StatusWords {
  readonly tooltip: string;
  readonly notice: string | undefined;
}

const TOKEN_PREFIX = "the token provider failed: ";

/** Describes a status event; an event without an error clears every earlier message. */
export function describeStatus(event: SyncStatusEvent, online: boolean): StatusWords {
  if (!online || event.status === "offline")
    return {
      tooltip:
        "Offline: your changes are kept on this device and sent when the connection is back.",
      notice: undefined,
    };
  const error = event.error;
  if (event.status !== "error" || !error) {
    const waiting =
      event.outboxDepth > 0 ? ` ${event.outboxDepth} change(s) waiting to be sent.` : "";
    const tooltip =
      event.status === "synced"
        ? "Synced: every change is saved on the server."
        : `Syncing with the server.${waiting}`;
    return { tooltip, notice: undefined };
  }
  if (error.code === "TOKEN_UNAVAILABLE") {
    const reason = error.message.startsWith(TOKEN_PREFIX)
      ? error.message.slice(TOKEN_PREFIX.length)
      : "The app could not get a sign-in token; your changes stay on this device.";
    return { tooltip: reason, notice: reason };
  }
  const status = (error as { status?: number }).status;
  if (status === 401 || status === 403)
    return {
      tooltip: "The server did not accept your sign-in. Reload the page to sign in again.",
      notice: "The server did not accept your sign-in. Reload the page to sign in again.",
    };
  return {
    tooltip: `Sync failed (${error.message}). Your changes are safe on this device; retrying automatically.`,
    notice: undefined,
  };
}
