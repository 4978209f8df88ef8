/**
 * @module lake
 * The lake of the Node gateway this page is served by, opened read-only in the browser: the
 * Iceberg REST catalogue at `/iceberg` and the files at `/lake/*`, both with an admin token.
 */
import { HttpLakeAdapter } from "@lakesync/analyst";
import {
  type Catalogue,
  createLakeLocation,
  type LakeLocation,
  RestCatalogue,
} from "@lakesync/catalogue";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";

/** An opened lake. */
export interface BrowserLake {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
}

/**
 * The admin token: `?token=` when given, else a development token from `/dev/token` (a gateway
 * started by `npm start` in development mode).
 */
export async function adminToken(
  origin: string,
  params: URLSearchParams,
): Promise<Result<string, LakeSyncError>> {
  const given = params.get("token");
  if (given) return Ok(given);
  const response = await fetch(`${origin}/dev/token?sub=dashboard&admin=1`);
  const body = (await response.json().catch(() => ({}))) as { token?: unknown };
  if (response.ok && typeof body.token === "string") return Ok(body.token);
  return Err(new LakeSyncError("UNAUTHORISED", "open the dashboard with ?token=<an admin JWT>"));
}

/** Opens the lake served by `origin` (see the module comment). */
export async function openLake(
  origin: string,
  token: string,
): Promise<Result<BrowserLake, LakeSyncError>> {
  const config = await fetch(`${origin}/iceberg/v1/config`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!config.ok)
    return Err(
      new LakeSyncError(
        "CATALOGUE_UNAVAILABLE",
        `the gateway has no lake catalogue (HTTP ${config.status})`,
      ),
    );
  const body = (await config.json()) as { defaults?: { warehouse?: unknown } };
  const warehouse = body.defaults?.warehouse;
  if (typeof warehouse !== "string")
    return Err(
      new LakeSyncError("CATALOGUE_UNAVAILABLE", "the catalogue did not name its warehouse"),
    );
  const location = createLakeLocation(
    warehouse,
    new HttpLakeAdapter({ baseUrl: `${origin}/lake`, token }),
  );
  if (!location.ok) return location;
  const catalogue = new RestCatalogue({ uri: `${origin}/iceberg`, token });
  return Ok({ catalogue, location: location.value });
}
