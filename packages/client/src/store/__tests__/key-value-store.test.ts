import "fake-indexeddb/auto";
import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { replicaClientId, replicaName } from "../../replica/replica-identity.js";
import { IDBKeyValueStore, type KeyValueStore, MemoryKeyValueStore } from "../key-value-store.js";

let n = 0;
const stores: [string, () => KeyValueStore][] = [
  ["MemoryKeyValueStore", () => new MemoryKeyValueStore()],
  ["IDBKeyValueStore", () => new IDBKeyValueStore(`settings-${n++}`)],
];

describe.each(stores)("%s", (_name, make) => {
  it("reads back what was set, and nothing once deleted", async () => {
    const store = make();
    expect(unwrapOrThrow(await store.get("user"))).toBeUndefined();
    unwrapOrThrow(await store.set("user", "alice"));
    expect(unwrapOrThrow(await store.get("user"))).toBe("alice");
    unwrapOrThrow(await store.delete("user"));
    expect(unwrapOrThrow(await store.get("user"))).toBeUndefined();
  });

  it("putIfAbsent keeps the first value, even when callers race", async () => {
    const store = make();
    const answers = await Promise.all(
      ["a", "b", "c"].map((v) => store.putIfAbsent("client-id", v)),
    );
    const values = answers.map(unwrapOrThrow);
    expect(new Set(values).size).toBe(1);
    expect(unwrapOrThrow(await store.get("client-id"))).toBe(values[0]);
  });
});

describe("replica identity", () => {
  it("one client id per gateway and user, whoever asks first", async () => {
    const store = new IDBKeyValueStore(`ids-${n++}`);
    const alice = { gateway: "todos", user: "alice" };
    const first = unwrapOrThrow(await replicaClientId(alice, { store }));
    const again = unwrapOrThrow(await replicaClientId(alice, { store }));
    const bob = unwrapOrThrow(await replicaClientId({ gateway: "todos", user: "bob" }, { store }));
    expect(again).toBe(first);
    expect(first.startsWith("alice-")).toBe(true);
    expect(bob).not.toBe(first);
  });

  it("names keep gateway and user apart whatever characters they hold", () => {
    expect(replicaName({ gateway: "a/b", user: "c" })).not.toBe(
      replicaName({ gateway: "a", user: "b/c" }),
    );
  });
});
