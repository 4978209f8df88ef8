import { describe, expect, it } from "vitest";
import { electTabLeader } from "../tab-leader.js";
import { eventually, FakeTabs } from "./support/fake-tabs.js";

describe("tab leadership", () => {
  it("exactly one tab leads, and the next takes over when it resigns", async () => {
    const tabs = new FakeTabs();
    const led: string[] = [];
    const a = electTabLeader({ name: "e", locks: tabs.locks("a"), onLeader: () => led.push("a") });
    const b = electTabLeader({ name: "e", locks: tabs.locks("b"), onLeader: () => led.push("b") });
    await eventually(() => a.isLeader());
    expect(b.isLeader()).toBe(false);
    a.resign();
    await eventually(() => b.isLeader());
    expect(led).toEqual(["a", "b"]);
    expect(a.isLeader()).toBe(false);
  });

  it("a crashed leader's lock goes to the next tab in line", async () => {
    const tabs = new FakeTabs();
    const a = electTabLeader({ name: "e", locks: tabs.locks("a"), onLeader: () => {} });
    const b = electTabLeader({ name: "e", locks: tabs.locks("b"), onLeader: () => {} });
    const c = electTabLeader({ name: "e", locks: tabs.locks("c"), onLeader: () => {} });
    await eventually(() => a.isLeader());
    tabs.crash("a");
    await eventually(() => tabs.holder("e") === "b");
    expect(b.isLeader()).toBe(true);
    expect(c.isLeader()).toBe(false);
  });

  it("a tab that resigns while waiting never leads", async () => {
    const tabs = new FakeTabs();
    const led: string[] = [];
    const a = electTabLeader({ name: "e", locks: tabs.locks("a"), onLeader: () => led.push("a") });
    const b = electTabLeader({ name: "e", locks: tabs.locks("b"), onLeader: () => led.push("b") });
    const c = electTabLeader({ name: "e", locks: tabs.locks("c"), onLeader: () => led.push("c") });
    await eventually(() => a.isLeader());
    b.resign();
    a.resign();
    await eventually(() => c.isLeader());
    expect(led).toEqual(["a", "c"]);
  });

  it("without a lock manager the tab leads alone", () => {
    const lone = electTabLeader({ name: "e", locks: null, onLeader: () => {} });
    expect(lone.isLeader()).toBe(true);
  });

  it("works with the runtime's own Web Locks", async () => {
    const a = electTabLeader({ name: "real-election", onLeader: () => {} });
    const b = electTabLeader({ name: "real-election", onLeader: () => {} });
    await eventually(() => a.isLeader());
    expect(b.isLeader()).toBe(false);
    a.resign();
    await eventually(() => b.isLeader());
    b.resign();
  });
});
