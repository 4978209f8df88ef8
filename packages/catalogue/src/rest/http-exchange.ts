/**
 * @module rest/http-exchange
 * One HTTP exchange through an injectable `fetch`, bounded by a timeout that covers the whole
 * response body, never throwing: the outcome is the status, headers and text, or why no answer
 * came. Runtime-neutral (Workers, Node, browsers): only `fetch`, `AbortController` and timers.
 */
import { Err, Ok, type Result } from "@lakesync/core";

/** The `fetch` the REST client calls; Workers, tests (`app.request`) and Node pass their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A response read to the end. */
export interface Exchanged {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Why an exchange produced no response. */
export interface ExchangeFailure {
  readonly cause: unknown;
  readonly timedOut: boolean;
}

class ExchangeTimeout extends Error {
  constructor(ms: number) {
    super(`no complete response within ${ms} ms`);
    this.name = "ExchangeTimeout";
  }
}

/**
 * Sends one request and reads its body as text. The timeout aborts the request if the status
 * line or the body has not arrived within `timeoutMs`; a thrown `fetch`, an abort or a broken
 * body becomes an `Err` (nothing here throws).
 */
export async function exchange(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Result<Exchanged, ExchangeFailure>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new ExchangeTimeout(timeoutMs));
  }, timeoutMs);
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    const text = init.method === "HEAD" ? "" : await response.text();
    return Ok({ status: response.status, headers: response.headers, text });
  } catch (cause) {
    return Err({ cause, timedOut });
  } finally {
    clearTimeout(timer);
  }
}

/** Parses a JSON body; `undefined` for an empty body, `Err` with the parser's message otherwise. */
export function parseJsonBody(text: string): Result<unknown, string> {
  if (text.trim() === "") return Ok(undefined);
  try {
    return Ok(JSON.parse(text));
  } catch (cause) {
    return Err(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * The delay a `Retry-After` header asks for, in milliseconds (delta-seconds form only), or
 * `undefined` when absent or not a number.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
