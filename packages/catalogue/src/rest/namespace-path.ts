/**
 * @module rest/namespace-path
 * How a namespace travels in the Iceberg REST API: one path segment whose levels are joined by
 * the unit separator (`0x1F`, `%1F` once percent-encoded), or the `parent` query parameter.
 * Shared by the client and the server so both sides agree byte for byte.
 */
import type { Namespace } from "../catalogue/catalogue.js";

/** The default separator between namespace levels (`%1F` in a URL). */
export const UNIT_SEPARATOR = "\u001f";

/**
 * Why `namespace` cannot be sent or served, or `undefined` when it can: it needs at least one
 * level, and no level may be empty or contain the separator (the path could not be split back).
 */
export function namespaceProblem(
  namespace: Namespace,
  separator: string = UNIT_SEPARATOR,
): string | undefined {
  if (namespace.length === 0) return "a namespace needs at least one level";
  for (const level of namespace) {
    if (typeof level !== "string" || level.length === 0)
      return "namespace levels must be non-empty strings";
    if (level.includes(separator) || level.includes(UNIT_SEPARATOR))
      return `namespace level ${JSON.stringify(level)} contains the namespace separator`;
  }
  return undefined;
}

/**
 * The namespace as one percent-encoded path segment: every level encoded, joined by the encoded
 * separator. `["analytics", "eu"]` becomes `analytics%1Feu`.
 */
export function encodeNamespacePath(
  namespace: Namespace,
  separator: string = UNIT_SEPARATOR,
): string {
  return namespace.map(encodeURIComponent).join(encodeURIComponent(separator));
}

/**
 * The namespace as a raw (not yet percent-encoded) query value, for `?parent=`;
 * `URLSearchParams` encodes it.
 */
export function namespaceQueryValue(
  namespace: Namespace,
  separator: string = UNIT_SEPARATOR,
): string {
  return namespace.join(separator);
}

/**
 * Splits an already percent-decoded path or query value into its levels. Servers accept the
 * unit separator always (the spec asks for it, for older clients) and `separator` when it differs.
 */
export function decodeNamespace(decoded: string, separator: string = UNIT_SEPARATOR): Namespace {
  const unified =
    separator === UNIT_SEPARATOR ? decoded : decoded.split(separator).join(UNIT_SEPARATOR);
  return unified.split(UNIT_SEPARATOR);
}
