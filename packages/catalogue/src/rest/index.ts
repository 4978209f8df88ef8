/**
 * @module rest
 * The Apache Iceberg REST catalogue, both sides: {@link RestCatalogue} (a `Catalogue` client of
 * any REST catalogue, with presets for Project Nessie and Cloudflare R2 Data Catalog) and
 * {@link createIcebergRestApp} (the REST API served over any `Catalogue`, as a hono app).
 * Runtime-neutral: Workers, Node and browsers.
 */
export type { RestOperation } from "./client-errors.js";
export type { RetryPolicy } from "./http-client.js";
export type { FetchLike } from "./http-exchange.js";
export {
  decodeNamespace,
  encodeNamespacePath,
  namespaceProblem,
  UNIT_SEPARATOR,
} from "./namespace-path.js";
export {
  NESSIE_DEFAULT_URI,
  NessieCatalogueClient,
  type NessieCatalogueOptions,
} from "./nessie-catalogue.js";
export { R2DataCatalogueClient, type R2DataCatalogueOptions } from "./r2-data-catalogue.js";
export { RestCatalogue, type RestCatalogueOptions } from "./rest-catalogue.js";
export {
  createIcebergRestApp,
  type IcebergRestAppOptions,
  SERVED_ENDPOINTS,
} from "./rest-server.js";
export { toWireMetadata } from "./wire.js";
