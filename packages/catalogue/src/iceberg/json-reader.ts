/**
 * @module iceberg/json-reader
 * Small readers that check one JSON value at a time while a metadata document is parsed. A
 * reader throws a {@link JsonProblem} naming the path (`snapshots[2].snapshot-id`) and what is
 * wrong; the parsing entry points catch it and return an `Err`, so nothing public throws.
 */

/** A problem found at one place in a JSON document; caught by the parsers of this package. */
export class JsonProblem extends Error {
  constructor(path: string, problem: string) {
    super(`${path || "document"}: ${problem}`);
    this.name = "JsonProblem";
  }
}

/** A JSON object whose keys are read one at a time. */
export type JsonObject = Readonly<Record<string, unknown>>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "number") return `the number ${value}`;
  return `a ${typeof value}`;
}

/** `value` as an object, or a problem at `path`. */
export function readObject(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new JsonProblem(path, `expected an object, found ${describe(value)}`);
  return value as JsonObject;
}

/** `value` as an array, or a problem at `path`. */
export function readArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw new JsonProblem(path, `expected an array, found ${describe(value)}`);
  return value;
}

/** `value` as a string, or a problem at `path`. */
export function readString(value: unknown, path: string): string {
  if (typeof value !== "string")
    throw new JsonProblem(path, `expected a string, found ${describe(value)}`);
  return value;
}

/** `value` as a boolean, or a problem at `path`. */
export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean")
    throw new JsonProblem(path, `expected a boolean, found ${describe(value)}`);
  return value;
}

/**
 * `value` as an integer that a double holds exactly. Iceberg ids are 64-bit; one above 2^53 has
 * already lost precision in `JSON.parse`, so it is refused rather than silently rounded.
 */
export function readInteger(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new JsonProblem(path, `expected an integer, found ${describe(value)}`);
  if (!Number.isSafeInteger(value))
    throw new JsonProblem(
      path,
      `${value} is not a safe integer: ids and numbers above 2^53 cannot be read exactly`,
    );
  return value;
}

/** A string-to-string map, or a problem at `path`. */
export function readStringMap(value: unknown, path: string): Record<string, string> {
  const object = readObject(value, path);
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(object))
    Object.defineProperty(out, key, {
      value: readString(entry, `${path}.${key}`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** Reads `object[key]` with `read` when present and not null; `undefined` otherwise. */
export function readOptional<T>(
  object: JsonObject,
  key: string,
  path: string,
  read: (value: unknown, path: string) => T,
): T | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  return read(value, `${path}.${key}`);
}

/** Reads `object[key]` with `read`; a missing key is a problem. */
export function readRequired<T>(
  object: JsonObject,
  key: string,
  path: string,
  read: (value: unknown, path: string) => T,
): T {
  const at = path ? `${path}.${key}` : key;
  if (!Object.hasOwn(object, key)) throw new JsonProblem(at, "is required but missing");
  return read(object[key], at);
}

/** Reads every element of an array with `read`. */
export function readList<T>(
  value: unknown,
  path: string,
  read: (value: unknown, path: string) => T,
): T[] {
  return readArray(value, path).map((element, i) => read(element, `${path}[${i}]`));
}
