/**
 * @module http/auth
 * Verification of the JSON Web Tokens that every route but `/health` requires.
 */
import {
  type Claims,
  Err,
  LakeSyncError,
  type LakeSyncErrorOptions,
  Ok,
  type Result,
} from "@lakesync/core";
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";

/** The request is not authenticated (HTTP 401) or not allowed (HTTP 403). */
export class AuthError extends LakeSyncError {
  /** 401 for a missing, malformed, forged or expired token; 403 for a valid one without rights. */
  readonly status: 401 | 403;

  constructor(
    code: "UNAUTHORISED" | "FORBIDDEN",
    message: string,
    options: LakeSyncErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "AuthError";
    this.status = code === "UNAUTHORISED" ? 401 : 403;
  }
}

/** How tokens are verified. Give `secret` (HS256) or `jwksUrl` (RS256/ES256/EdDSA keys). */
export interface AuthOptions {
  /** Shared secret for HS256 tokens; at least 32 bytes. */
  readonly secret?: string;
  /** URL of a JSON Web Key Set, fetched and cached by jose. */
  readonly jwksUrl?: string;
  /** A key set or key resolver, e.g. `createLocalJWKSet(...)`; takes precedence. */
  readonly keys?: JWTVerifyGetKey;
  /** Required `iss` claim, if any. */
  readonly issuer?: string;
  /** Required `aud` claim, if any. */
  readonly audience?: string;
  /** Claim that must be `true` for admin routes. Defaults to `admin`. */
  readonly adminClaim?: string;
  /** Claim naming the gateway a token is for; when present it must match. Defaults to `gw`. */
  readonly gatewayClaim?: string;
  /** Seconds of clock tolerance for `exp`/`nbf`. Defaults to 5. */
  readonly clockToleranceSec?: number;
  /**
   * Verified tokens remembered, so a client's every request does not pay for a signature check
   * (0 turns it off). A remembered token is trusted until its `exp`, and for at most
   * `cacheTtlMs`. Defaults to 1,000 tokens and 60 s.
   */
  readonly cacheSize?: number;
  readonly cacheTtlMs?: number;
  /** The wall clock (ms); defaults to `Date.now`. */
  readonly now?: () => number;
}

/** The verified identity of a caller. */
export interface Principal {
  /** The token's `sub`: the user, used as the pushing identity. */
  readonly subject: string;
  readonly claims: Claims;
  readonly admin: boolean;
}

/** Verifies a bearer token for a gateway, optionally requiring admin rights. */
export type TokenVerifier = (
  authorization: string | undefined,
  gatewayId: string,
  requireAdmin: boolean,
) => Promise<Result<Principal, AuthError>>;

const MIN_SECRET_BYTES = 32;

/**
 * Builds a token verifier. Returns `Err` when neither a secret nor keys are configured, or the
 * secret is too short to be safe for HS256.
 */
export function createTokenVerifier(options: AuthOptions): Result<TokenVerifier, LakeSyncError> {
  const adminClaim = options.adminClaim ?? "admin";
  const gatewayClaim = options.gatewayClaim ?? "gw";
  let verify: (token: string) => Promise<JWTPayload>;
  const now = options.now ?? Date.now;
  const settings = {
    clockTolerance: options.clockToleranceSec ?? 5,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  const common = () => ({ ...settings, currentDate: new Date(now()) });
  if (options.keys) {
    const keys = options.keys;
    verify = async (token) => (await jwtVerify(token, keys, common())).payload;
  } else if (options.jwksUrl) {
    let url: URL;
    try {
      url = new URL(options.jwksUrl);
    } catch (cause) {
      return Err(
        new LakeSyncError("INVALID_CONFIG", `jwksUrl is not a URL: ${options.jwksUrl}`, { cause }),
      );
    }
    const keys = createRemoteJWKSet(url);
    verify = async (token) => (await jwtVerify(token, keys, common())).payload;
  } else if (options.secret !== undefined) {
    const key = new TextEncoder().encode(options.secret);
    if (key.byteLength < MIN_SECRET_BYTES) {
      return Err(
        new LakeSyncError(
          "INVALID_CONFIG",
          `the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`,
        ),
      );
    }
    verify = async (token) =>
      (await jwtVerify(token, key, { ...common(), algorithms: ["HS256"] })).payload;
  } else {
    return Err(new LakeSyncError("INVALID_CONFIG", "configure a JWT secret or a JWKS URL"));
  }

  const cache = new VerifiedTokens(options.cacheSize ?? 1_000, options.cacheTtlMs ?? 60_000, now);
  return Ok(async (authorization, gatewayId, requireAdmin) => {
    const match = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(authorization ?? "");
    const token = match?.[1];
    if (!token)
      return Err(
        new AuthError("UNAUTHORISED", "missing bearer token (Authorization: Bearer <jwt>)"),
      );
    let payload: JWTPayload;
    try {
      payload = cache.get(token) ?? cache.put(token, await verify(token));
    } catch (cause) {
      const reason =
        cause instanceof errors.JWTExpired
          ? "token has expired"
          : cause instanceof errors.JWSSignatureVerificationFailed
            ? "token signature is invalid"
            : cause instanceof errors.JWTClaimValidationFailed
              ? `token claim "${cause.claim}" is invalid`
              : "token is malformed or cannot be verified";
      return Err(new AuthError("UNAUTHORISED", reason, { cause }));
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0) {
      return Err(new AuthError("UNAUTHORISED", 'token has no "sub" claim'));
    }
    const scope = payload[gatewayClaim];
    if (
      scope !== undefined &&
      scope !== "*" &&
      scope !== gatewayId &&
      !(Array.isArray(scope) && scope.includes(gatewayId))
    ) {
      return Err(new AuthError("FORBIDDEN", `token is not valid for gateway "${gatewayId}"`));
    }
    const admin = payload[adminClaim] === true;
    if (requireAdmin && !admin)
      return Err(new AuthError("FORBIDDEN", `admin routes need the "${adminClaim}" claim`));
    return Ok({ subject: payload.sub, claims: payload as Claims, admin });
  });
}

/**
 * Tokens whose signature and claims were verified, by their text: a bounded map in insertion
 * order (the oldest goes first), each entry trusted until the token's `exp` or the time to
 * live, whichever is sooner. Only successes are remembered; a failure is checked every time.
 */
class VerifiedTokens {
  readonly #tokens = new Map<string, { payload: JWTPayload; until: number }>();
  readonly #size: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(size: number, ttlMs: number, now: () => number) {
    this.#size = size;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get(token: string): JWTPayload | undefined {
    const hit = this.#tokens.get(token);
    if (!hit) return undefined;
    if (this.#now() < hit.until) return hit.payload;
    this.#tokens.delete(token);
    return undefined;
  }

  put(token: string, payload: JWTPayload): JWTPayload {
    if (this.#size <= 0 || this.#ttlMs <= 0) return payload;
    const now = this.#now();
    const expires = typeof payload.exp === "number" ? payload.exp * 1000 : Number.POSITIVE_INFINITY;
    const until = Math.min(expires, now + this.#ttlMs);
    if (until <= now) return payload;
    this.#tokens.delete(token);
    this.#tokens.set(token, { payload, until });
    if (this.#tokens.size > this.#size) {
      const oldest = this.#tokens.keys().next();
      if (!oldest.done) this.#tokens.delete(oldest.value);
    }
    return payload;
  }
}
