/**
 * @module rest/nessie-catalogue
 * The REST catalogue client preset for Project Nessie's Iceberg REST endpoint.
 *
 * Nessie serves the Iceberg REST API under `/iceberg` (port 19120 by default). The Nessie
 * reference (branch or tag) is chosen by appending it to the URI (`/iceberg/main`), whose
 * `GET /v1/config` answers a `prefix` default of `main` (for the default warehouse) or
 * `main|<warehouse>` (URL-encoded) when a `warehouse` name is asked for, and a `uri` override
 * back to the canonical `/iceberg/` base; the client follows both, so every later path is
 * `/iceberg/v1/<prefix>/...`. Nessie's documentation says not to set `prefix` on the client.
 */
import { RestCatalogue, type RestCatalogueOptions } from "./rest-catalogue.js";

/** Options of {@link NessieCatalogueClient}. */
export interface NessieCatalogueOptions extends Omit<RestCatalogueOptions, "uri" | "prefix"> {
  /** Nessie's Iceberg REST base; defaults to `http://localhost:19120/iceberg`. */
  readonly uri?: string;
  /** The branch or tag to read and commit on; defaults to `main`. */
  readonly ref?: string;
  /** A warehouse name from Nessie's configuration; defaults to Nessie's default warehouse. */
  readonly warehouse?: string;
}

/** Nessie's Iceberg REST base when nothing else is configured. */
export const NESSIE_DEFAULT_URI = "http://localhost:19120/iceberg";

/**
 * A {@link RestCatalogue} for Project Nessie: `uri` defaults to `http://localhost:19120/iceberg`,
 * commits go to branch `main` unless `ref` names another branch or tag, and the warehouse is
 * Nessie's default unless `warehouse` names one. Authentication as for any REST catalogue
 * (`token`, or `credential` with Nessie's OAuth2 provider).
 *
 * @example
 * const nessie = new NessieCatalogueClient({ uri: "http://nessie:19120/iceberg", ref: "main" });
 */
export class NessieCatalogueClient extends RestCatalogue {
  /** The Nessie reference this client reads and commits on. */
  readonly ref: string;

  constructor(options: NessieCatalogueOptions = {}) {
    const base = (options.uri ?? NESSIE_DEFAULT_URI).replace(/\/+$/, "");
    const ref = options.ref ?? "main";
    super({
      ...options,
      uri: `${base}/${encodeURIComponent(ref)}`,
      name: options.name ?? `nessie:${base}@${ref}`,
    });
    this.ref = ref;
  }
}
