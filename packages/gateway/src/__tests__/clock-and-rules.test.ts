import { decodeHLC, HLC_ZERO, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import {
  delta,
  hlcAt,
  ManualClock,
  OWNER_RULES,
  openGateway,
  SHARED_RULES,
  testStore,
} from "./fixtures.js";

describe("the gateway's clock", () => {
  it("no sequence of pushes moves it more than the drift limit ahead of the wall clock, also after a restart", async () => {
    const clock = new ManualClock();
    const store = testStore();
    const { gateway } = await openGateway({ store }, clock);
    for (let i = 0; i < 1_000; i++) {
      const ahead = delta({
        rowId: `r${i % 10}`,
        hlc: hlcAt(clock, 4_900 + i * 4_900),
        columns: { title: `${i}` },
      });
      await gateway.handlePush({ clientId: "client-a", deltas: [ahead], lastSeenHlc: HLC_ZERO });
    }
    const ack = await gateway.handlePush({
      clientId: "honest",
      deltas: [
        delta({ rowId: "h", clientId: "honest", hlc: hlcAt(clock), columns: { title: "on time" } }),
      ],
      lastSeenHlc: HLC_ZERO,
    });
    expect(ack.ok).toBe(true);
    expect(decodeHLC(unwrapOrThrow(ack).serverHlc).wallMs - clock.ms).toBeLessThanOrEqual(5_000);
    await gateway.close();
    const { gateway: restarted } = await openGateway({ store }, clock);
    expect(decodeHLC(restarted.head).wallMs - clock.ms).toBeLessThanOrEqual(5_000);
  });
});

describe("changing sync rules", () => {
  it("expires every older cursor, so clients start again from a checkpoint judged by the new rules", async () => {
    const { gateway, clock } = await openGateway({ syncRules: OWNER_RULES });
    const d = delta({
      rowId: "a1",
      clientId: "ca",
      hlc: hlcAt(clock),
      columns: { title: "a", owner: "alice" },
    });
    unwrapOrThrow(
      await gateway.handlePush(
        { clientId: "ca", deltas: [d], lastSeenHlc: HLC_ZERO },
        { sub: "alice" },
      ),
    );
    const before = unwrapOrThrow(
      await gateway.handlePull(
        { clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 },
        { sub: "alice" },
      ),
    );
    unwrapOrThrow(await gateway.setSyncRules(OWNER_RULES));
    expect(
      (
        await gateway.handlePull(
          { clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 },
          { sub: "alice" },
        )
      ).ok,
    ).toBe(true); // the same rules again: nothing changed
    unwrapOrThrow(await gateway.setSyncRules({ ...SHARED_RULES, writes: undefined }));
    const expired = await gateway.handlePull(
      { clientId: "r", sinceHlc: before.serverHlc, maxDeltas: 0 },
      { sub: "alice" },
    );
    expect(!expired.ok && expired.error.code).toBe("CURSOR_EXPIRED");
    const fresh = await gateway.handlePull(
      { clientId: "r", sinceHlc: gateway.head, maxDeltas: 0 },
      { sub: "alice" },
    );
    expect(fresh.ok).toBe(true);
  });
});
