/**
 * @module iceberg/avro/avro-datum
 * Avro binary encoding of single values (Avro 1.11 spec, "Binary Encoding"), interpreted from
 * the JSON schema at run time. Cloudflare Workers forbid generating code from strings
 * (`new Function`), which is how avsc and avro-js build their codecs, so the lake's Avro goes
 * through this small interpreter instead. Values: `null`, booleans, numbers for int, long
 * (safe integers only), float and double, strings, `Uint8Array` for bytes and fixed, arrays,
 * plain objects for records and maps, strings for enum symbols; a union of `null` and one
 * other type takes the value itself, other unions take `{ [branchName]: value }`.
 */

type Primitive = "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string";

/** A schema resolved for encoding: named types are looked up once. */
export type AvroType =
  | { readonly kind: Primitive }
  | {
      readonly kind: "record";
      readonly name: string;
      fields: { name: string; type: AvroType; default?: unknown; hasDefault: boolean }[];
    }
  | { readonly kind: "enum"; readonly name: string; readonly symbols: readonly string[] }
  | { readonly kind: "fixed"; readonly name: string; readonly size: number }
  | { readonly kind: "array"; readonly items: AvroType }
  | { readonly kind: "map"; readonly values: AvroType }
  | { readonly kind: "union"; readonly branches: readonly AvroType[] };

const PRIMITIVES = new Set<string>([
  "null",
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "bytes",
  "string",
]);

class SchemaProblem extends Error {}

/** Resolves a JSON schema; throws an `Error` naming the problem (callers wrap it). */
export function resolveSchema(schema: unknown): AvroType {
  const named = new Map<string, AvroType>();
  const resolve = (node: unknown, namespace: string | undefined): AvroType => {
    if (typeof node === "string") {
      if (PRIMITIVES.has(node)) return { kind: node as Primitive };
      const found = named.get(node) ?? (namespace ? named.get(`${namespace}.${node}`) : undefined);
      if (!found) throw new SchemaProblem(`unknown type "${node}"`);
      return found;
    }
    if (Array.isArray(node))
      return { kind: "union", branches: node.map((b) => resolve(b, namespace)) };
    if (typeof node !== "object" || node === null)
      throw new SchemaProblem("a schema must be a name, an array or an object");
    const o = node as Record<string, unknown>;
    const type = o.type;
    if (typeof type === "string" && PRIMITIVES.has(type)) return { kind: type as Primitive };
    const name = typeof o.name === "string" ? o.name : "";
    const ns = typeof o.namespace === "string" ? o.namespace : namespace;
    const full = name.includes(".") || !ns ? name : `${ns}.${name}`;
    switch (type) {
      case "record":
      case "error": {
        const record: Extract<AvroType, { kind: "record" }> = { kind: "record", name, fields: [] };
        named.set(full, record);
        named.set(name, record);
        if (!Array.isArray(o.fields)) throw new SchemaProblem(`record "${name}" has no fields`);
        for (const f of o.fields as Record<string, unknown>[]) {
          if (typeof f.name !== "string")
            throw new SchemaProblem(`a field of "${name}" has no name`);
          record.fields.push({
            name: f.name,
            type: resolve(f.type, ns),
            default: f.default,
            hasDefault: "default" in f,
          });
        }
        return record;
      }
      case "enum": {
        if (!Array.isArray(o.symbols)) throw new SchemaProblem(`enum "${name}" has no symbols`);
        const e: AvroType = { kind: "enum", name, symbols: o.symbols.map(String) };
        named.set(full, e);
        named.set(name, e);
        return e;
      }
      case "fixed": {
        if (typeof o.size !== "number") throw new SchemaProblem(`fixed "${name}" has no size`);
        const f: AvroType = { kind: "fixed", name, size: o.size };
        named.set(full, f);
        named.set(name, f);
        return f;
      }
      case "array":
        return { kind: "array", items: resolve(o.items, ns) };
      case "map":
        return { kind: "map", values: resolve(o.values, ns) };
      default:
        return resolve(type, ns);
    }
  };
  return resolve(schema, undefined);
}

/** Growable output buffer. */
export class AvroWriter {
  bytes = new Uint8Array(256);
  pos = 0;
  #view = new DataView(this.bytes.buffer);

  #room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
    this.#view = new DataView(next.buffer);
  }

  long(value: number): void {
    this.#room(10);
    if (Math.abs(value) < 2 ** 48) {
      let n = value >= 0 ? value * 2 : -value * 2 - 1;
      while (n >= 0x80) {
        this.bytes[this.pos++] = (n % 0x80) | 0x80;
        n = Math.floor(n / 0x80);
      }
      this.bytes[this.pos++] = n;
      return;
    }
    // Zig-zag of a value this large no longer fits a double exactly.
    const v = BigInt(value);
    let n = v >= 0n ? v << 1n : (-v << 1n) - 1n;
    while (n >= 0x80n) {
      this.bytes[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.bytes[this.pos++] = Number(n);
  }

  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  float(value: number, double: boolean): void {
    this.#room(8);
    if (double) this.#view.setFloat64(this.pos, value, true);
    else this.#view.setFloat32(this.pos, value, true);
    this.pos += double ? 8 : 4;
  }

  /** The bytes written so far. */
  take(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function fail(path: string, message: string): never {
  throw new SchemaProblem(`${path || "value"}: ${message}`);
}

function branchName(type: AvroType): string {
  return "name" in type ? type.name : type.kind;
}

function matches(type: AvroType, value: unknown): boolean {
  switch (type.kind) {
    case "null":
      return value === null || value === undefined;
    case "boolean":
      return typeof value === "boolean";
    case "int":
    case "long":
      return typeof value === "number" && Number.isInteger(value);
    case "float":
    case "double":
      return typeof value === "number";
    case "string":
    case "enum":
      return typeof value === "string";
    case "bytes":
    case "fixed":
      return value instanceof Uint8Array;
    case "array":
      return Array.isArray(value);
    default:
      return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        !(value instanceof Uint8Array)
      );
  }
}

/** Encodes `value` as `type`; throws an `Error` naming the path of a value that does not fit. */
export function encodeDatum(type: AvroType, value: unknown, out: AvroWriter, path = ""): void {
  switch (type.kind) {
    case "null":
      if (value !== null && value !== undefined) fail(path, "expected null");
      return;
    case "boolean":
      if (typeof value !== "boolean") fail(path, "expected a boolean");
      out.raw(new Uint8Array([value ? 1 : 0]));
      return;
    case "int":
    case "long": {
      const limit = type.kind === "int" ? 2 ** 31 : Number.MAX_SAFE_INTEGER;
      if (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) > limit)
        fail(path, `expected ${type.kind === "int" ? "a 32-bit" : "a safe"} integer`);
      out.long(value);
      return;
    }
    case "float":
    case "double":
      if (typeof value !== "number") fail(path, "expected a number");
      out.float(value, type.kind === "double");
      return;
    case "string": {
      if (typeof value !== "string") fail(path, "expected a string");
      const bytes = utf8.encode(value);
      out.long(bytes.length);
      out.raw(bytes);
      return;
    }
    case "bytes":
      if (!(value instanceof Uint8Array)) fail(path, "expected bytes");
      out.long(value.length);
      out.raw(value);
      return;
    case "fixed":
      if (!(value instanceof Uint8Array) || value.length !== type.size)
        fail(path, `expected ${type.size} bytes`);
      out.raw(value);
      return;
    case "enum": {
      const index = typeof value === "string" ? type.symbols.indexOf(value) : -1;
      if (index < 0) fail(path, `expected one of ${type.symbols.join(", ")}`);
      out.long(index);
      return;
    }
    case "array":
      if (!Array.isArray(value)) fail(path, "expected an array");
      if (value.length > 0) {
        out.long(value.length);
        for (const [i, item] of value.entries())
          encodeDatum(type.items, item, out, `${path}[${i}]`);
      }
      out.long(0);
      return;
    case "map": {
      if (!matches(type, value)) fail(path, "expected an object");
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) {
        out.long(entries.length);
        for (const [k, v] of entries) {
          encodeDatum({ kind: "string" }, k, out, path);
          encodeDatum(type.values, v, out, `${path}.${k}`);
        }
      }
      out.long(0);
      return;
    }
    case "record": {
      if (!matches(type, value)) fail(path, `expected a ${type.name} record`);
      const record = value as Record<string, unknown>;
      for (const field of type.fields) {
        let v = record[field.name];
        if (v === undefined && field.hasDefault) v = field.default;
        encodeDatum(field.type, v, out, path ? `${path}.${field.name}` : field.name);
      }
      return;
    }
    case "union": {
      const { branches } = type;
      const plain = branches.length === 2 && branches.some((b) => b.kind === "null");
      if (!plain && typeof value === "object" && value !== null && !Array.isArray(value)) {
        const keys = Object.keys(value);
        const index = branches.findIndex((b) => keys.length === 1 && branchName(b) === keys[0]);
        if (index >= 0) {
          out.long(index);
          encodeDatum(
            branches[index] as AvroType,
            (value as Record<string, unknown>)[keys[0] as string],
            out,
            path,
          );
          return;
        }
      }
      const index = branches.findIndex((b) => matches(b, value));
      if (index < 0) fail(path, "matches no branch of the union");
      out.long(index);
      encodeDatum(branches[index] as AvroType, value, out, path);
      return;
    }
  }
}

/** A cursor over encoded bytes. */
export class AvroReader {
  pos: number;
  readonly #view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  long(): number {
    // Up to 7 bytes (49 bits) the arithmetic is exact in doubles; longer ones go through BigInt.
    let n = 0;
    let scale = 1;
    const start = this.pos;
    for (let i = 0; i < 7; i++) {
      const b = this.bytes[this.pos++];
      if (b === undefined) throw new SchemaProblem("the data ends inside a number");
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      scale *= 0x80;
    }
    this.pos = start;
    let big = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.bytes[this.pos++];
      if (b === undefined) throw new SchemaProblem("the data ends inside a number");
      big |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        const value = (big >> 1n) ^ -(big & 1n);
        if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER))
          throw new SchemaProblem("a long beyond 2^53 cannot be read exactly");
        return Number(value);
      }
    }
    throw new SchemaProblem("a number longer than 10 bytes");
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length)
      throw new SchemaProblem("the data ends inside a value");
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  float(double: boolean): number {
    const n = double ? 8 : 4;
    if (this.pos + n > this.bytes.length) throw new SchemaProblem("the data ends inside a number");
    const v = double
      ? this.#view.getFloat64(this.pos, true)
      : this.#view.getFloat32(this.pos, true);
    this.pos += n;
    return v;
  }
}

function blocks(reader: AvroReader, each: () => void): void {
  for (let count = reader.long(); count !== 0; count = reader.long()) {
    if (count < 0) {
      count = -count;
      reader.long(); // the block's size in bytes, not needed to read it
    }
    for (let i = 0; i < count; i++) each();
  }
}

/** Decodes one value of `type`; throws an `Error` for bytes that do not hold one. */
export function decodeDatum(type: AvroType, reader: AvroReader): unknown {
  switch (type.kind) {
    case "null":
      return null;
    case "boolean":
      return reader.take(1)[0] === 1;
    case "int":
    case "long":
      return reader.long();
    case "float":
    case "double":
      return reader.float(type.kind === "double");
    case "string":
      return fromUtf8.decode(reader.take(reader.long()));
    case "bytes":
      return reader.take(reader.long()).slice();
    case "fixed":
      return reader.take(type.size).slice();
    case "enum": {
      const symbol = type.symbols[reader.long()];
      if (symbol === undefined) throw new SchemaProblem(`an unknown symbol of enum ${type.name}`);
      return symbol;
    }
    case "array": {
      const out: unknown[] = [];
      blocks(reader, () => out.push(decodeDatum(type.items, reader)));
      return out;
    }
    case "map": {
      const out: Record<string, unknown> = {};
      blocks(reader, () => {
        const key = fromUtf8.decode(reader.take(reader.long()));
        Object.defineProperty(out, key, {
          value: decodeDatum(type.values, reader),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return out;
    }
    case "record": {
      const out: Record<string, unknown> = {};
      for (const field of type.fields)
        Object.defineProperty(out, field.name, {
          value: decodeDatum(field.type, reader),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    case "union": {
      const branch = type.branches[reader.long()];
      if (!branch) throw new SchemaProblem("a union branch out of range");
      const value = decodeDatum(branch, reader);
      const plain = type.branches.length === 2 && type.branches.some((b) => b.kind === "null");
      return plain || branch.kind === "null" ? value : { [branchName(branch)]: value };
    }
  }
}
