/**
 * @module vars
 * Reading the Worker's string variables (see wrangler.jsonc) as numbers, with defaults.
 */

/** A positive integer variable, or the default. */
export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/**
 * Whether a gateway id is served without an admin creating it first: listed in `GATEWAY_IDS`
 * (comma-separated) or matching `GATEWAY_PATTERN` (a regular expression for the whole id; an
 * invalid pattern matches nothing).
 */
export function gatewayAllowed(
  id: string,
  env: { readonly GATEWAY_IDS?: string; readonly GATEWAY_PATTERN?: string },
): boolean {
  const ids = (env.GATEWAY_IDS ?? "").split(",").map((s) => s.trim());
  if (ids.includes(id)) return true;
  if (!env.GATEWAY_PATTERN) return false;
  try {
    return new RegExp(`^(?:${env.GATEWAY_PATTERN})$`).test(id);
  } catch {
    return false;
  }
}
