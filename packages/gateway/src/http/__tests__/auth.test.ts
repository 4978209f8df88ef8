import { unwrapOrThrow } from "@lakesync/core";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTokenVerifier } from "../auth.js";

const SECRET = "a-development-secret-of-at-least-32-bytes";
const key = new TextEncoder().encode(SECRET);
const sign = (claims: Record<string, unknown>, exp: string | number = "1h", secret = key) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(secret);
const verifier = unwrapOrThrow(createTokenVerifier({ secret: SECRET }));
const codeOf = async (header: string | undefined, gw = "gw1", admin = false) => {
  const result = await verifier(header, gw, admin);
  return result.ok ? "ok" : `${result.error.status} ${result.error.message}`;
};

describe("token verification", () => {
  it("accepts a valid token and exposes its claims", async () => {
    const result = await verifier(
      `Bearer ${await sign({ sub: "alice", team: "red" })}`,
      "gw1",
      false,
    );
    expect(result.ok && result.value).toMatchObject({
      subject: "alice",
      admin: false,
      claims: { team: "red" },
    });
  });

  it("a missing or non-bearer header is 401", async () => {
    expect(await codeOf(undefined)).toMatch(/^401 missing bearer token/);
    expect(await codeOf("Basic abc")).toMatch(/^401/);
  });

  it("a forged signature is 401", async () => {
    const forged = await sign(
      { sub: "alice" },
      "1h",
      new TextEncoder().encode("another-secret-that-is-32-bytes-long!"),
    );
    expect(await codeOf(`Bearer ${forged}`)).toBe("401 token signature is invalid");
  });

  it("an expired token is 401", async () => {
    expect(
      await codeOf(`Bearer ${await sign({ sub: "alice" }, Math.floor(Date.now() / 1000) - 60)}`),
    ).toBe("401 token has expired");
  });

  it("garbage is 401, never a crash", async () => {
    for (const junk of [
      "Bearer x.y.z",
      "Bearer ....",
      `Bearer ${"a".repeat(10_000)}`,
      "Bearer eyJhbGciOiJub25lIn0.e30.",
    ]) {
      expect(await codeOf(junk)).toMatch(/^401/);
    }
  });

  it("a token without a subject is 401", async () => {
    expect(await codeOf(`Bearer ${await sign({})}`)).toBe('401 token has no "sub" claim');
  });

  it("a token for another gateway is 403", async () => {
    expect(await codeOf(`Bearer ${await sign({ sub: "a", gw: "gw2" })}`)).toBe(
      '403 token is not valid for gateway "gw1"',
    );
    expect(await codeOf(`Bearer ${await sign({ sub: "a", gw: ["gw1", "gw2"] })}`)).toBe("ok");
  });

  it("admin routes need the admin claim: 403 without it", async () => {
    expect(await codeOf(`Bearer ${await sign({ sub: "a" })}`, "gw1", true)).toMatch(
      /^403 admin routes need/,
    );
    expect(await codeOf(`Bearer ${await sign({ sub: "a", admin: true })}`, "gw1", true)).toBe("ok");
  });

  it("verifies asymmetric tokens against a key set", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    const keyed = unwrapOrThrow(createTokenVerifier({ keys: createLocalJWKSet({ keys: [jwk] }) }));
    const token = await new SignJWT({ sub: "bob" })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await keyed(`Bearer ${token}`, "gw", false)).ok).toBe(true);
    expect((await keyed(`Bearer ${await sign({ sub: "bob" })}`, "gw", false)).ok).toBe(false);
  });

  it("refuses to start with a short secret or no key material", () => {
    expect(createTokenVerifier({ secret: "short" }).ok).toBe(false);
    expect(createTokenVerifier({}).ok).toBe(false);
    expect(createTokenVerifier({ jwksUrl: "not a url" }).ok).toBe(false);
  });
});

describe("the cache of verified tokens", () => {
  const counting = async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: "ES256" }] });
    const calls = { count: 0 };
    const keys: JWTVerifyGetKey = (header, token) => {
      calls.count++;
      return jwks(header, token);
    };
    const signEs = (claims: Record<string, unknown>, exp: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256" })
        .setExpirationTime(exp)
        .sign(privateKey);
    return { keys, calls, signEs };
  };

  it("checks a token's signature once, but its gateway and admin rights on every request", async () => {
    const { keys, calls, signEs } = await counting();
    const verify = unwrapOrThrow(createTokenVerifier({ keys }));
    const token = `Bearer ${await signEs({ sub: "alice", gw: "gw1" }, Math.floor(Date.now() / 1000) + 3600)}`;
    for (let i = 0; i < 5; i++) expect((await verify(token, "gw1", false)).ok).toBe(true);
    expect(calls.count).toBe(1);
    const other = await verify(token, "gw2", false);
    expect(!other.ok && other.error.status).toBe(403);
    const admin = await verify(token, "gw1", true);
    expect(!admin.ok && admin.error.status).toBe(403);
  });

  it("a remembered token stops being accepted when it expires, and after the time to live is checked again", async () => {
    const { keys, calls, signEs } = await counting();
    let now = Date.now();
    const verify = unwrapOrThrow(
      createTokenVerifier({ keys, clockToleranceSec: 0, cacheTtlMs: 10_000, now: () => now }),
    );
    const exp = Math.floor(now / 1000) + 30;
    const token = `Bearer ${await signEs({ sub: "alice" }, exp)}`;
    expect((await verify(token, "gw1", false)).ok).toBe(true);
    now += 11_000;
    expect((await verify(token, "gw1", false)).ok).toBe(true);
    expect(calls.count).toBe(2);
    now = exp * 1000 + 1_000;
    const expired = await verify(token, "gw1", false);
    expect(!expired.ok && expired.error.message).toBe("token has expired");
  });

  it("failures are never remembered, and size 0 turns the cache off", async () => {
    const { keys, calls, signEs } = await counting();
    const verify = unwrapOrThrow(createTokenVerifier({ keys, cacheSize: 0 }));
    const token = `Bearer ${await signEs({ sub: "alice" }, Math.floor(Date.now() / 1000) + 60)}`;
    await verify(token, "gw1", false);
    await verify(token, "gw1", false);
    expect(calls.count).toBe(2);
  });
});
