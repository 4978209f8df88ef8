/**
 * @module @lakesync/compactor/node
 * The Node-only part of `@lakesync/compactor`: {@link fileSystemLister}, which lets orphan
 * removal see the temporary files a crash left in a file-system lake; plus everything the main
 * entry exports.
 *
 * @example
 * import { MaintenanceRunner } from "@lakesync/compactor";
 * import { fileSystemLister } from "@lakesync/compactor/node";
 * const runner = new MaintenanceRunner({ catalogue, location, listFiles: fileSystemLister(dir) });
 */
export * from "./index.js";
export { fileSystemLister } from "./node/file-system-lister.js";
