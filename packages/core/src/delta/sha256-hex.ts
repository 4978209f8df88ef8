/**
 * @module delta/sha256-hex
 * SHA-256 of a string as lower-case hex: the runtime's native hash where it has one, pure JS
 * elsewhere. Not re-exported from the package (delta ids are the public API).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** The part of `node:crypto` the id needs (typed here: core has no Node types). */
interface NativeCrypto {
  /** One-shot hash (Node 21.7 and later): about twice `createHash` for short inputs. */
  hash?(algorithm: "sha256", data: string, encoding: "hex"): string;
  createHash(algorithm: "sha256"): {
    update(data: string, encoding: "utf8"): { digest(encoding: "hex"): string };
  };
}

/**
 * The runtime's native SHA-256 where it has one (Node, and Workers with `nodejs_compat`, through
 * `process.getBuiltinModule`): several times the pure-JS rate, which matters to a gateway
 * verifying every pushed id. Browsers use the pure-JS one; both give the same digest (tested).
 */
function findNativeHash(): ((text: string) => string) | undefined {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  try {
    const crypto = host.process?.getBuiltinModule?.("node:crypto");
    if (typeof crypto !== "object" || crypto === null || !("createHash" in crypto))
      return undefined;
    const native = crypto as NativeCrypto;
    const oneShot = native.hash;
    if (typeof oneShot === "function") return (text) => oneShot("sha256", text, "hex");
    return (text) => native.createHash("sha256").update(text, "utf8").digest("hex");
  } catch {
    // No native module here: the pure-JS hash serves.
    return undefined;
  }
}

const native = findNativeHash();

/** Lower-case hex SHA-256 of a string's UTF-8 bytes, with the pure-JS hash. */
export function sha256HexPortable(text: string): string {
  return flatHex(sha256(utf8ToBytes(text)));
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes, native where the runtime has it. */
export function sha256Hex(text: string): string {
  return native ? native(text) : sha256HexPortable(text);
}

const HEX = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const codes = new Array<number>(64).fill(0);

/**
 * Lower-case hex of a 32-byte digest as one flat string. Building it by concatenation (as
 * `bytesToHex` does) leaves a rope of 32 pieces that costs about 1 KB per id in V8; a gateway or
 * an outbox holding many deltas pays that per delta.
 */
function flatHex(digest: Uint8Array): string {
  for (let i = 0; i < 32; i++) {
    const byte = digest[i] ?? 0;
    codes[2 * i] = HEX[byte >> 4] ?? 48;
    codes[2 * i + 1] = HEX[byte & 15] ?? 48;
  }
  return String.fromCharCode.apply(null, codes);
}
