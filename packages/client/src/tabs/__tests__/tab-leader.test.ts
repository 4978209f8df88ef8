import { describe, expect, it } from "vitest";
import { electTabLeader } from "../tab-leader.js";

const next = () => new Promise((resolve) => setTimeout(resolve, 0));
const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await next();
  expect(condition()).toBe(true);
};

describe("tab leadership", () => {
  it("exactly one tab leads, and the next takes over when it resigns", async () => {
    const led: string[] = [];
    const a = electTabLeader({ name: "election-1", onLeader: () => led.push("a") });
    await waitFor(() => a.isLeader());
    const b = electTabLeader({ name: "election-1", onLeader: () => led.push("b") });
    await next();
    expect(b.isLeader()).toBe(false);
    a.resign();
    await waitFor(() => b.isLeader());
    expect(led).toEqual(["a", "b"]);
    b.resign();
  });

  it("a change announced by one tab reaches the others", async () => {
    let heard = 0;
    const a = electTabLeader({ name: "election-2", onLeader: () => {} });
    const b = electTabLeader({
      name: "election-2",
      onLeader: () => {},
      onRemoteChange: () => heard++,
    });
    a.announceChange();
    await waitFor(() => heard === 1);
    a.resign();
    b.resign();
  });
});
