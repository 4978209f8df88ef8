/**
 * @module rest/r2-data-catalogue
 * The REST catalogue client preset for Cloudflare R2 Data Catalog, the Iceberg REST catalogue
 * built into an R2 bucket. Enabling the catalogue on a bucket (dashboard, or
 * `wrangler r2 bucket catalog enable <bucket>`) prints its catalogue URI
 * (`https://catalog.cloudflarestorage.com/<account id>/<bucket>`) and warehouse name
 * (`<account id>_<bucket>`); requests carry a Cloudflare API token with R2 Data Catalog and R2
 * storage permissions as a bearer token.
 */
import { RestCatalogue, type RestCatalogueOptions } from "./rest-catalogue.js";

/** Options of {@link R2DataCatalogueClient}. */
export interface R2DataCatalogueOptions
  extends Omit<RestCatalogueOptions, "uri" | "warehouse" | "token" | "credential"> {
  /** The Cloudflare account id. */
  readonly accountId: string;
  /** The R2 bucket whose catalogue is used. */
  readonly bucket: string;
  /** A Cloudflare API token with R2 Data Catalog (and R2 storage) permissions. */
  readonly token: string;
  /** Overrides the catalogue URI (defaults to the one derived from the account and bucket). */
  readonly uri?: string;
  /** Overrides the warehouse name (defaults to `<accountId>_<bucket>`). */
  readonly warehouse?: string;
}

/**
 * A {@link RestCatalogue} for an R2 bucket's data catalogue. Works in Workers (pass the Worker's
 * `fetch` or none).
 *
 * @example
 * const catalogue = new R2DataCatalogueClient({ accountId, bucket: "lake", token: env.R2_CATALOG_TOKEN });
 */
export class R2DataCatalogueClient extends RestCatalogue {
  constructor(options: R2DataCatalogueOptions) {
    const { accountId, bucket, uri, warehouse, ...rest } = options;
    const base =
      uri ??
      `https://catalog.cloudflarestorage.com/${encodeURIComponent(accountId)}/${encodeURIComponent(bucket)}`;
    super({
      ...rest,
      uri: base,
      warehouse: warehouse ?? `${accountId}_${bucket}`,
      name: options.name ?? `r2-data-catalog:${accountId}/${bucket}`,
    });
  }
}
