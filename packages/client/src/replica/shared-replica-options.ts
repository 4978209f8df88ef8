/**
 * @module replica/shared-replica-options
 * How a tab joins the replica every tab of an origin shares (see `SharedReplica`).
 */
import type { LakeSyncError, Result } from "@lakesync/core";
import type { TabChannelFactory } from "../tabs/channel.js";
import type { LockManagerLike } from "../tabs/tab-leader.js";
import type { ReplicaEngine } from "./replica-engine.js";

/** Options for `SharedReplica.open`. */
export interface SharedReplicaOptions {
  /** One name per (gateway, user): it names the lock and the channel. */
  readonly name: string;
  /**
   * Opens the replica in this tab's own thread; called only in the tab that becomes the leader,
   * each time one does. Give `worker` instead to keep the replica off the page's thread.
   */
  readonly open?: () => Promise<Result<ReplicaEngine, LakeSyncError>>;
  /**
   * Starts a dedicated worker that runs `hostReplica` for this replica; called only in the tab
   * that becomes the leader. The worker ends with the tab, which releases the leadership.
   */
  readonly worker?: () => { terminate(): void };
  /** Start the sync loop once the leader opened the replica. Defaults to true. */
  readonly autoSync?: boolean;
  /** Defaults to `navigator.locks`; `null` makes this tab lead alone. */
  readonly locks?: LockManagerLike | null | undefined;
  /** Defaults to BroadcastChannel (or, without it, channels within this tab only). */
  readonly channels?: TabChannelFactory;
}
