/**
 * @module lakesync/catalogue
 * `@lakesync/catalogue` re-exported: Apache Iceberg metadata, manifests, snapshot commits and
 * catalogues (SQL, REST).
 */
export * from "@lakesync/catalogue";
