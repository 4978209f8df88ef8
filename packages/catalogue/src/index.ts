/**
 * @module @lakesync/catalogue
 * Apache Iceberg catalogue integration: schemas, manifests and snapshot commits.
 * Not built yet: this package exports nothing until its issue lands.
 */
export {};
