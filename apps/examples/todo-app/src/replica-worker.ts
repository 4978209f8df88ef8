/**
 * @module replica-worker
 * The dedicated worker the leader tab starts: it opens the user's replica and serves it to every
 * tab, so merges and queries never hold up a page. Here the database is a file in OPFS (every
 * commit durable, no snapshots; `openReplicaEngine` picks it where a worker can). The worker's
 * name is the user.
 */
import { hostReplica, replicaName } from "@lakesync/client";
import { openTodoEngine } from "./replica.js";

const user = (self as unknown as { name: string }).name;
const scope = { gateway: "todos", user };
// A failure is posted to every tab by hostReplica (they show it); nothing more to do here.
void hostReplica({ name: replicaName(scope), open: () => openTodoEngine(user) });
