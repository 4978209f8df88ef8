import { DEV_JWT_SECRET } from "@lakesync/server";
import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli-harness.js";

const key = (secret: string) => new TextEncoder().encode(secret);

describe("lakesync token", () => {
  it("prints only a token that verifies with --secret and carries the claims asked for", async () => {
    const ran = await cli([
      "token",
      "--sub",
      "alice",
      "--admin",
      "--gateway",
      "todos",
      "--ttl",
      "30m",
      "--secret",
      "s3cret",
    ]);
    expect(ran.code).toBe(0);
    expect(ran.err).toBe("");
    expect(ran.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload, protectedHeader } = await jwtVerify(ran.out.trim(), key("s3cret"));
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload).toMatchObject({ sub: "alice", admin: true, gw: "todos" });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(30 * 60);
  });

  it("signs with LAKESYNC_JWT_SECRET when no --secret is given", async () => {
    const ran = await cli(["token", "--sub", "bob"], { env: { LAKESYNC_JWT_SECRET: "from-env" } });
    expect(ran.code).toBe(0);
    const { payload } = await jwtVerify(ran.out.trim(), key("from-env"));
    expect(payload).toMatchObject({ sub: "bob", admin: false, gw: "*" });
  });

  it("signs with the development secret of `lakesync serve --dev` otherwise, for 12 hours", async () => {
    const ran = await cli(["token", "--sub", "carol"]);
    const { payload } = await jwtVerify(ran.out.trim(), key(DEV_JWT_SECRET));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(12 * 3600);
  });

  it("a token signed with another secret does not verify", async () => {
    const ran = await cli(["token", "--sub", "mallory", "--secret", "one"]);
    await expect(jwtVerify(ran.out.trim(), key("two"))).rejects.toThrow();
    expect(decodeJwt(ran.out.trim()).sub).toBe("mallory");
  });

  it("an empty subject or a lifetime under a second is a usage error (exit 2)", async () => {
    expect((await cli(["token", "--sub", " "])).code).toBe(2);
    const short = await cli(["token", "--sub", "a", "--ttl", "500ms"]);
    expect(short.code).toBe(2);
    expect(short.err).toContain("--ttl must be at least one second");
  });
});
