import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeNamespace,
  encodeNamespacePath,
  namespaceProblem,
  namespaceQueryValue,
  UNIT_SEPARATOR,
} from "../namespace-path.js";

const level = fc
  .string({ minLength: 1, maxLength: 12, unit: "grapheme" })
  .filter((s) => !s.includes(UNIT_SEPARATOR));
const namespace = fc.array(level, { minLength: 1, maxLength: 4 });

describe("namespace paths", () => {
  it("joins levels with %1F and percent-encodes each level", () => {
    expect(encodeNamespacePath(["accounting", "tax"])).toBe("accounting%1Ftax");
    expect(encodeNamespacePath(["a b", "c/d"])).toBe("a%20b%1Fc%2Fd");
  });

  it("round-trips any namespace through a path segment (encode, URL-decode, split)", () => {
    fc.assert(
      fc.property(namespace, (ns) => {
        const segment = encodeNamespacePath(ns);
        expect(segment).not.toContain("/");
        expect(decodeNamespace(decodeURIComponent(segment))).toEqual(ns);
      }),
    );
  });

  it("round-trips through the parent query parameter", () => {
    fc.assert(
      fc.property(namespace, (ns) => {
        const query = new URLSearchParams({ parent: namespaceQueryValue(ns) }).toString();
        expect(decodeNamespace(new URLSearchParams(query).get("parent") ?? "")).toEqual(ns);
      }),
    );
  });

  it("round-trips with a server-configured separator when no level contains it", () => {
    fc.assert(
      fc.property(
        namespace.filter((ns) => ns.every((l) => !l.includes("."))),
        (ns) => {
          const segment = encodeNamespacePath(ns, ".");
          expect(decodeNamespace(decodeURIComponent(segment), ".")).toEqual(ns);
        },
      ),
    );
  });

  it("refuses namespaces that could not be split back", () => {
    expect(namespaceProblem([])).toMatch(/at least one level/);
    expect(namespaceProblem(["a", ""])).toMatch(/non-empty/);
    expect(namespaceProblem(["a\u001fb"])).toMatch(/separator/);
    expect(namespaceProblem(["a.b"], ".")).toMatch(/separator/);
    expect(namespaceProblem(["lakesync"])).toBeUndefined();
  });
});
