/**
 * @module lake/http-lake-adapter
 * A read-only {@link LakeAdapter} over HTTP, for readers without the lake's credentials: a
 * browser dashboard reading the files the Node gateway serves at `GET /lake/*` to admin tokens.
 * `getObject` fetches `{baseUrl}/{key}` with the bearer token; `headObject` asks with a HEAD;
 * writes, deletes and listings are refused (`AdapterError`, code `READ_ONLY`).
 */
import { type LakeAdapter, type ObjectInfo, ObjectNotFoundError } from "@lakesync/adapter";
import { AdapterError, Err, Ok, type Result } from "@lakesync/core";

/** Options of {@link HttpLakeAdapter}. */
export interface HttpLakeAdapterOptions {
  /** The URL the keys are relative to, e.g. `http://127.0.0.1:8787/lake`. */
  readonly baseUrl: string;
  /** A bearer token (the gateway serves its lake to admin tokens). */
  readonly token?: string;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** See the module comment. */
export class HttpLakeAdapter implements LakeAdapter {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;

  constructor(options: HttpLakeAdapterOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  #url(key: string): string {
    return `${this.#base}/${key.split("/").map(encodeURIComponent).join("/")}`;
  }

  async #request(key: string, method: "GET" | "HEAD"): Promise<Result<Response, AdapterError>> {
    let response: Response;
    try {
      response = await this.#fetch(this.#url(key), { method, headers: this.#headers });
    } catch (cause) {
      return Err(new AdapterError(`cannot fetch "${key}": ${String(cause)}`, { cause }));
    }
    if (response.status === 404) return Err(new ObjectNotFoundError(key));
    if (!response.ok)
      return Err(new AdapterError(`fetching "${key}" answered HTTP ${response.status}`));
    return Ok(response);
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const response = await this.#request(path, "GET");
    if (!response.ok) return response;
    try {
      return Ok(new Uint8Array(await response.value.arrayBuffer()));
    } catch (cause) {
      return Err(new AdapterError(`cannot read "${path}": ${String(cause)}`, { cause }));
    }
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const response = await this.#request(path, "HEAD");
    if (!response.ok) return response;
    const modified = response.value.headers.get("last-modified");
    return Ok({
      size: Number(response.value.headers.get("content-length") ?? 0),
      lastModified: modified ? new Date(modified) : new Date(0),
    });
  }

  async listObjects(_prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    return Err(readOnly("list"));
  }

  async putObject(_path: string, _data: Uint8Array): Promise<Result<void, AdapterError>> {
    return Err(readOnly("write"));
  }

  async deleteObject(_path: string): Promise<Result<void, AdapterError>> {
    return Err(readOnly("delete"));
  }

  async deleteObjects(_paths: readonly string[]): Promise<Result<void, AdapterError>> {
    return Err(readOnly("delete"));
  }
}

function readOnly(action: string): AdapterError {
  return new AdapterError(`the HTTP lake is read-only: cannot ${action}`, { code: "READ_ONLY" });
}
