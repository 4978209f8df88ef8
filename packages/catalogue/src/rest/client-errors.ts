/**
 * @module rest/client-errors
 * How the REST catalogue client turns a failed exchange into an error a caller can switch on.
 * Statuses map to `CatalogueError` codes (the `type` of the server's `IcebergErrorResponse`
 * decides between namespace and table), credentials refused become `UNAUTHORISED` or
 * `FORBIDDEN`, and every message names the operation, the request and what the server said.
 */
import { LakeSyncError } from "@lakesync/core";
import { CatalogueError, type CatalogueErrorCode } from "../errors.js";

/** The REST operations the client performs (`operationId`s of the OpenAPI document). */
export type RestOperation =
  | "getConfig"
  | "getToken"
  | "listNamespaces"
  | "createNamespace"
  | "loadNamespaceMetadata"
  | "namespaceExists"
  | "dropNamespace"
  | "listTables"
  | "createTable"
  | "loadTable"
  | "tableExists"
  | "updateTable"
  | "dropTable";

/** One request, as named in error messages. */
export interface RequestLabel {
  readonly operation: RestOperation;
  readonly method: string;
  readonly url: string;
}

const TABLE_OPERATIONS: ReadonlySet<RestOperation> = new Set([
  "loadTable",
  "tableExists",
  "updateTable",
  "dropTable",
]);

/** `operation (METHOD /path)`: the request named without its host or query credentials. */
export function describeRequest(label: RequestLabel): string {
  let path = label.url;
  try {
    path = new URL(label.url).pathname;
  } catch {
    // keep the raw string: it is only used in a message
  }
  return `${label.operation} (${label.method} ${path})`;
}

/** The `type` and `message` of an `IcebergErrorResponse` or OAuth error body, when present. */
export function serverDetail(body: unknown, text: string): { type?: string; message: string } {
  if (typeof body === "object" && body !== null) {
    const error = (body as { error?: unknown }).error;
    if (typeof error === "object" && error !== null) {
      const { type, message } = error as { type?: unknown; message?: unknown };
      return {
        ...(typeof type === "string" ? { type } : {}),
        message: typeof message === "string" ? message : text.slice(0, 200),
      };
    }
    if (typeof error === "string") {
      const description = (body as { error_description?: unknown }).error_description;
      return {
        type: error,
        message: typeof description === "string" ? description : error,
      };
    }
  }
  return { message: text.trim().slice(0, 200) || "(no body)" };
}

function code404(operation: RestOperation, type: string | undefined): CatalogueErrorCode {
  if (type === "NoSuchNamespaceException") return "NO_SUCH_NAMESPACE";
  if (type === "NoSuchTableException") return "NO_SUCH_TABLE";
  return TABLE_OPERATIONS.has(operation) ? "NO_SUCH_TABLE" : "NO_SUCH_NAMESPACE";
}

function code409(operation: RestOperation, type: string | undefined): CatalogueErrorCode {
  if (type === "NamespaceNotEmptyException") return "NAMESPACE_NOT_EMPTY";
  if (type === "AlreadyExistsException") return "ALREADY_EXISTS";
  if (type === "CommitFailedException") return "COMMIT_CONFLICT";
  if (operation === "dropNamespace") return "NAMESPACE_NOT_EMPTY";
  return operation === "updateTable" ? "COMMIT_CONFLICT" : "ALREADY_EXISTS";
}

/**
 * The error for a non-2xx response. A commit answered with any 5xx is `COMMIT_STATE_UNKNOWN`:
 * the spec says it may have been applied, so the caller reloads and checks before retrying.
 */
export function errorForStatus(
  label: RequestLabel,
  status: number,
  body: unknown,
  text: string,
): LakeSyncError {
  const detail = serverDetail(body, text);
  const said = `${status}${detail.type ? ` ${detail.type}` : ""}: ${detail.message}`;
  const message = `${describeRequest(label)} failed with ${said}`;
  if (status === 401 || status === 419)
    return new LakeSyncError(
      "UNAUTHORISED",
      `${message} (the catalogue refused the credentials: check the token or client credential)`,
    );
  if (status === 403)
    return new LakeSyncError(
      "FORBIDDEN",
      `${message} (the credentials are valid but lack permission for this request)`,
    );
  let code: CatalogueErrorCode;
  if (status === 404) code = code404(label.operation, detail.type);
  else if (status === 409) code = code409(label.operation, detail.type);
  else if (status >= 500 && label.operation === "updateTable") code = "COMMIT_STATE_UNKNOWN";
  else if (status === 429 || status >= 500) code = "CATALOGUE_UNAVAILABLE";
  else code = "INVALID_INPUT";
  return new CatalogueError(code, message);
}

/**
 * The error for a request that got no answer (connection refused, reset, timed out). A commit
 * may have reached the server before the connection failed, so its outcome is unknown.
 */
export function errorForNetwork(
  label: RequestLabel,
  cause: unknown,
  timedOut: boolean,
): CatalogueError {
  const why = timedOut
    ? "timed out"
    : `could not reach the catalogue (${cause instanceof Error ? cause.message : String(cause)})`;
  const code = label.operation === "updateTable" ? "COMMIT_STATE_UNKNOWN" : "CATALOGUE_UNAVAILABLE";
  return new CatalogueError(code, `${describeRequest(label)} ${why}`, { cause });
}

/**
 * The error for a 2xx response whose body is not what the spec promises. For a commit the
 * server answered success, but what it applied cannot be read: the state is unknown.
 */
export function errorForBody(
  label: RequestLabel,
  problem: string,
  cause?: unknown,
): CatalogueError {
  const code = label.operation === "updateTable" ? "COMMIT_STATE_UNKNOWN" : "CATALOGUE_UNAVAILABLE";
  return new CatalogueError(
    code,
    `${describeRequest(label)} answered with an unexpected body: ${problem}`,
    cause === undefined ? {} : { cause },
  );
}
