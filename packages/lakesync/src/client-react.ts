/**
 * @module lakesync/client/react
 * `@lakesync/client/react` re-exported: `useQuery`, a live query over the local database (needs
 * `react` 18 or later).
 */
export * from "@lakesync/client/react";
