/**
 * @module @lakesync/client/react
 * React bindings: {@link useQuery}, a live query over the local database.
 */
export * from "./use-query.js";
