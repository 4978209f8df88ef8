/**
 * @module rest/rest-responses
 * Reading the bodies a REST catalogue answers with (`ListNamespacesResponse`,
 * `ListTablesResponse`, `GetNamespaceResponse`, `LoadTableResult`, `CommitTableResponse`) into
 * the `Catalogue` types, checking every field rather than trusting the server.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { LoadedTable, Namespace, TableIdentifier } from "../catalogue/catalogue.js";
import { CatalogueError } from "../errors.js";
import {
  readList,
  readObject,
  readOptional,
  readRequired,
  readString,
  readStringMap,
} from "../iceberg/json-reader.js";
import { parseTableMetadata } from "../iceberg/metadata-json.js";
import { describeRequest, errorForBody, type RequestLabel } from "./client-errors.js";

/** Runs a reader that may throw a `JsonProblem`; a problem becomes `errorForBody`. */
export function decodeBody<T>(label: RequestLabel, read: () => T): Result<T, CatalogueError> {
  try {
    return Ok(read());
  } catch (cause) {
    return Err(errorForBody(label, cause instanceof Error ? cause.message : String(cause), cause));
  }
}

const readNamespace = (value: unknown, path: string): Namespace =>
  readList(value, path, readString);

/** One page of `ListNamespacesResponse`. */
export function readNamespacePage(body: unknown): { items: Namespace[]; next: string | undefined } {
  const object = readObject(body, "");
  return {
    items: readOptional(object, "namespaces", "", (v, p) => readList(v, p, readNamespace)) ?? [],
    next: readOptional(object, "next-page-token", "", readString),
  };
}

/** One page of `ListTablesResponse`. */
export function readTablePage(body: unknown): {
  items: TableIdentifier[];
  next: string | undefined;
} {
  const object = readObject(body, "");
  const identifiers = readOptional(object, "identifiers", "", (v, p) =>
    readList(v, p, (item, at) => {
      const id = readObject(item, at);
      return {
        namespace: readRequired(id, "namespace", at, readNamespace),
        name: readRequired(id, "name", at, readString),
      };
    }),
  );
  return {
    items: identifiers ?? [],
    next: readOptional(object, "next-page-token", "", readString),
  };
}

/** The `properties` of a `GetNamespaceResponse` (`null` means the server keeps none: `{}`). */
export function readNamespaceProperties(body: unknown): Record<string, string> {
  return readOptional(readObject(body, ""), "properties", "", readStringMap) ?? {};
}

/**
 * A `LoadTableResult` or `CommitTableResponse` as a {@link LoadedTable}. The metadata is checked
 * by `parseTableMetadata`; metadata LakeSync cannot use (another format version, ids above 2^53)
 * is `INVALID_INPUT` naming the request, except after a commit, whose outcome is then unknown.
 */
export function readLoadedTable(
  label: RequestLabel,
  body: unknown,
): Result<LoadedTable, CatalogueError> {
  const parts = decodeBody(label, () => {
    const object = readObject(body, "");
    return {
      location: readRequired(object, "metadata-location", "", readString),
      metadata: readRequired(object, "metadata", "", readObject),
    };
  });
  if (!parts.ok) return parts;
  const metadata = parseTableMetadata(JSON.stringify(parts.value.metadata));
  if (!metadata.ok) {
    if (label.operation === "updateTable")
      return Err(errorForBody(label, metadata.error.message, metadata.error));
    return Err(
      new CatalogueError("INVALID_INPUT", `${describeRequest(label)}: ${metadata.error.message}`, {
        cause: metadata.error,
      }),
    );
  }
  return Ok({ metadataLocation: parts.value.location, metadata: metadata.value });
}
