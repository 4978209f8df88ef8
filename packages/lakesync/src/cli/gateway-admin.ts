/**
 * @module cli/gateway-admin
 * Calling a running gateway's admin routes (`POST /admin/flush/:id`, `GET /admin/stats/:id`)
 * with an admin token: the one given, `LAKESYNC_TOKEN`, or a development token the gateway
 * hands out in development mode (`/dev/token`). Failures come back in words: the gateway could
 * not be reached, or what it answered (its JSON `{code, message}` and the HTTP status).
 */
import { Err, Ok, type Result } from "@lakesync/core";
import { CliError } from "./cli-error.js";
import type { CliIO } from "./cli-io.js";
import type { GatewayFlags } from "./command-context.js";

/** A gateway to call, with the token to call it with. */
export interface AdminSession {
  readonly url: string;
  readonly token: string;
  readonly fetch: typeof fetch;
}

function base(url: string): string {
  return url.replace(/\/+$/, "");
}

function unreachable(url: string, cause: unknown): CliError {
  return new CliError("GATEWAY_UNAVAILABLE", `cannot reach the gateway at ${url}`, { cause });
}

async function refusal(response: Response, what: string): Promise<CliError> {
  const text = await response.text().catch(() => "");
  let detail = text.trim().slice(0, 300);
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.message === "string")
      detail = typeof body.code === "string" ? `${body.message} [${body.code}]` : body.message;
  } catch {
    // Not JSON: the text itself says it.
  }
  return new CliError(
    "GATEWAY_REFUSED",
    `${what}: the gateway answered ${response.status}${detail ? `: ${detail}` : ""}`,
  );
}

/**
 * The session for `flags`: the token given (`--token`, `LAKESYNC_TOKEN`) or, from a gateway in
 * development mode, an admin development token. `Err(CliError)`: `GATEWAY_UNAVAILABLE`, or
 * `GATEWAY_REFUSED` when no token was given and the gateway hands none out.
 */
export async function adminSession(
  io: CliIO,
  flags: GatewayFlags,
): Promise<Result<AdminSession, CliError>> {
  const doFetch = io.fetch ?? fetch;
  const given = flags.token ?? io.env.LAKESYNC_TOKEN;
  if (given) return Ok({ url: base(flags.url), token: given, fetch: doFetch });
  let response: Response;
  try {
    response = await doFetch(`${base(flags.url)}/dev/token?sub=lakesync-cli&admin=1`);
  } catch (cause) {
    return Err(unreachable(flags.url, cause));
  }
  if (!response.ok) {
    await response.body?.cancel();
    return Err(
      new CliError(
        "GATEWAY_REFUSED",
        `no token: give --token or set LAKESYNC_TOKEN (the gateway at ${flags.url} is not in development mode)`,
      ),
    );
  }
  const body = (await response.json().catch(() => ({}))) as { token?: unknown };
  if (typeof body.token !== "string")
    return Err(new CliError("GATEWAY_REFUSED", `${flags.url}/dev/token answered without a token`));
  return Ok({ url: base(flags.url), token: body.token, fetch: doFetch });
}

/**
 * Calls `method path` with the admin token; resolves to the JSON body. `what` names the call in
 * errors ("flushing todos"). `Err(CliError)`: `GATEWAY_UNAVAILABLE`, `GATEWAY_REFUSED`.
 */
export async function adminCall(
  session: AdminSession,
  method: "GET" | "POST",
  path: string,
  what: string,
): Promise<Result<unknown, CliError>> {
  let response: Response;
  try {
    response = await session.fetch(`${session.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${session.token}` },
    });
  } catch (cause) {
    return Err(unreachable(session.url, cause));
  }
  if (!response.ok) return Err(await refusal(response, what));
  try {
    return Ok(await response.json());
  } catch (cause) {
    return Err(new CliError("GATEWAY_REFUSED", `${what}: the answer is not JSON`, { cause }));
  }
}
