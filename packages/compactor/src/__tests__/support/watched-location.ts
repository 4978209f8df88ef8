/**
 * A lake location that counts its Parquet reads and can be made to fail them: how the
 * checkpoint tests see when files are read, and what happens when they are gone.
 */
import { CatalogueError, type LakeLocation } from "@lakesync/catalogue";
import { Err } from "@lakesync/core";

const gone = (uri: string) => new CatalogueError("CATALOGUE_UNAVAILABLE", `gone: ${uri}`);

/**
 * `location` with its Parquet reads (whole or ranged) counted in `reads`, and refused while
 * `broken` is set.
 */
export interface WatchedLocation {
  readonly location: LakeLocation;
  reads: number;
  broken: boolean;
}

/** Wraps `inner` (see {@link WatchedLocation}). */
export function watchLocation(inner: LakeLocation): WatchedLocation {
  const watched: WatchedLocation = {
    reads: 0,
    broken: false,
    // A location is a record of closures, so spreading it keeps every other method working.
    location: {
      ...inner,
      read: async (uri) => {
        if (!uri.endsWith(".parquet")) return inner.read(uri);
        if (watched.broken) return Err(gone(uri));
        watched.reads++;
        return inner.read(uri);
      },
      readRange: async (uri, offset, length) => {
        if (!uri.endsWith(".parquet")) return inner.readRange(uri, offset, length);
        if (watched.broken) return Err(gone(uri));
        watched.reads++;
        return inner.readRange(uri, offset, length);
      },
    },
  };
  return watched;
}
