import {
  type Claims,
  Err,
  HLC_ZERO,
  LakeSyncError,
  Ok,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { delta, hlcAt, ManualClock, TODOS, testStore } from "../../__tests__/fixtures.js";
import { SyncGateway } from "../../gateway/sync-gateway.js";
import type { PushAuthoriser } from "../push-authoriser.js";

/** An authoriser that refuses pushes from `mallory` and deltas to rows named `locked-*`. */
const authoriser: PushAuthoriser = {
  admit: async (_push, claims: Claims) =>
    claims.sub === "mallory"
      ? Err(new LakeSyncError("FORBIDDEN", "mallory may not push"))
      : Ok(undefined),
  check: (d: RowDelta) =>
    d.rowId.startsWith("locked-")
      ? {
          deltaId: d.deltaId,
          table: d.table,
          rowId: d.rowId,
          code: "FORBIDDEN",
          message: `${d.rowId} is locked`,
        }
      : undefined,
};

async function open() {
  const clock = new ManualClock();
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      store: testStore(),
      gatewayId: "gw",
      now: clock.now,
      autoFlush: false,
      authoriser,
    }),
  );
  unwrapOrThrow(await gateway.setSchema(TODOS));
  return { gateway, clock };
}

describe("the push pipeline's authorisation step", () => {
  it("refused deltas are reported and never merged or logged; the rest are accepted", async () => {
    const { gateway, clock } = await open();
    const open1 = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "ok" } });
    const locked = delta({ rowId: "locked-1", hlc: hlcAt(clock, 0, 1), columns: { title: "no" } });
    const ack = unwrapOrThrow(
      await gateway.handlePush(
        { clientId: "client-a", deltas: [open1, locked], lastSeenHlc: HLC_ZERO },
        { sub: "alice" },
      ),
    );
    expect(ack.accepted).toBe(1);
    expect(ack.refused).toEqual([
      {
        deltaId: locked.deltaId,
        table: "todos",
        rowId: "locked-1",
        code: "FORBIDDEN",
        message: "locked-1 is locked",
      },
    ]);
    const pulled = unwrapOrThrow(
      await gateway.handlePull({ clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 }),
    );
    expect(pulled.deltas.map((d) => d.rowId)).toEqual(["t1"]);
    expect(gateway.stats()).toMatchObject({ rows: 1, logEntries: 1, bufferedDeltas: 1 });
  });

  it("a push the authoriser does not admit is refused whole", async () => {
    const { gateway, clock } = await open();
    const refused = await gateway.handlePush(
      {
        clientId: "client-a",
        deltas: [delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "x" } })],
        lastSeenHlc: HLC_ZERO,
      },
      { sub: "mallory" },
    );
    expect(!refused.ok && refused.error.code).toBe("FORBIDDEN");
    expect(gateway.stats()).toMatchObject({ rows: 0, logEntries: 0 });
  });
});

describe("the push pipeline's delta id check", () => {
  it("a push carrying a delta whose id is not its content's hash is refused whole, logging nothing", async () => {
    const { gateway, clock } = await open();
    const good = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "ok" } });
    const zeroed = {
      ...delta({ rowId: "t2", hlc: hlcAt(clock, 0, 1), columns: { title: "x" } }),
      deltaId: "0".repeat(64),
    };
    const result = await gateway.handlePush(
      { clientId: "client-a", deltas: [good, zeroed], lastSeenHlc: HLC_ZERO },
      { sub: "alice" },
    );
    expect(!result.ok && result.error.code).toBe("INVALID_INPUT");
    expect(gateway.stats().logEntries).toBe(0);
  });

  it("a re-push of a delta already merged changes nothing, so it is acknowledged without hashing", async () => {
    const { gateway, clock } = await open();
    const good = delta({ rowId: "t1", hlc: hlcAt(clock), columns: { title: "ok" } });
    const push = { clientId: "client-a", deltas: [good], lastSeenHlc: HLC_ZERO };
    expect(unwrapOrThrow(await gateway.handlePush(push, { sub: "alice" })).accepted).toBe(1);
    const again = unwrapOrThrow(
      await gateway.handlePush(
        { ...push, deltas: [{ ...good, deltaId: "f".repeat(64) }] },
        { sub: "alice" },
      ),
    );
    expect(again.accepted).toBe(0);
    expect(gateway.stats().logEntries).toBe(1);
  });
});
