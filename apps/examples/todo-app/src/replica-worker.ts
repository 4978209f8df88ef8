/**
 * @module replica-worker
 * The dedicated worker the leader tab starts: it opens the user's replica and serves it to every
 * tab, so merges, queries and snapshots never hold up a page. The worker's name is the user.
 */
import { hostReplica, replicaName } from "@lakesync/client";
import { openTodoEngine } from "./replica.js";

const user = (self as unknown as { name: string }).name;
const scope = { gateway: "todos", user };
// A failure is posted to every tab by hostReplica (they show it); nothing more to do here.
void hostReplica({ name: replicaName(scope), open: () => openTodoEngine(user) });
