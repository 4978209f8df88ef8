import { describe, expect, it } from "vitest";
import {
  AdapterError,
  ClockDriftError,
  ConflictError,
  Err,
  FlushError,
  flatMapResult,
  fromPromise,
  hasErrorCode,
  isLakeSyncError,
  LakeSyncError,
  mapResult,
  Ok,
  type Result,
  SchemaError,
  unwrapOrThrow,
} from "../index.js";

describe("Result", () => {
  it("Ok carries a value and Err carries an error, told apart by `ok`", () => {
    const good: Result<number, string> = Ok(1);
    const bad: Result<number, string> = Err("nope");
    expect(good).toEqual({ ok: true, value: 1 });
    expect(bad).toEqual({ ok: false, error: "nope" });
  });

  it("mapResult transforms a success and passes a failure through untouched", () => {
    expect(mapResult(Ok(2), (n) => n * 3)).toEqual(Ok(6));
    const failure = Err(new FlushError("disk full"));
    expect(mapResult(failure, (n: number) => n * 3)).toBe(failure);
  });

  it("flatMapResult chains fallible steps and stops at the first failure", () => {
    const half = (n: number): Result<number, string> =>
      n % 2 === 0 ? Ok(n / 2) : Err(`${n} is odd`);
    expect(flatMapResult(Ok(8), half)).toEqual(Ok(4));
    expect(flatMapResult(flatMapResult(Ok(6), half), half)).toEqual(Err("3 is odd"));
    expect(flatMapResult(Err("earlier"), half)).toEqual(Err("earlier"));
  });

  it("unwrapOrThrow returns the value of a success and throws the error of a failure", () => {
    expect(unwrapOrThrow(Ok("v"))).toBe("v");
    const error = new SchemaError("bad");
    expect(() => unwrapOrThrow(Err(error))).toThrow(error);
  });

  it("fromPromise turns a resolved promise into Ok", async () => {
    expect(await fromPromise(Promise.resolve(42))).toEqual(Ok(42));
  });

  it("fromPromise turns a rejection into Err with the cause kept, never rejecting", async () => {
    const cause = new Error("socket hang up");
    const result = await fromPromise(Promise.reject(cause));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("UNEXPECTED");
      expect(result.error.cause).toBe(cause);
    }
  });

  it("fromPromise uses the caller's error mapping when given", async () => {
    const result = await fromPromise(
      Promise.reject("boom"),
      (c) => new AdapterError(`wrapped ${String(c)}`),
    );
    expect(result).toEqual(Err(new AdapterError("wrapped boom")));
  });
});

describe("errors", () => {
  it("every subclass has its stable code and name", () => {
    const cases: [LakeSyncError, string, string][] = [
      [new ClockDriftError("x"), "CLOCK_DRIFT", "ClockDriftError"],
      [new ConflictError("x"), "CONFLICT", "ConflictError"],
      [new FlushError("x"), "FLUSH_FAILED", "FlushError"],
      [new SchemaError("x"), "SCHEMA_MISMATCH", "SchemaError"],
      [new AdapterError("x"), "ADAPTER_ERROR", "AdapterError"],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(LakeSyncError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
    }
  });

  it("keeps the cause for debugging", () => {
    const cause = new Error("ECONNREFUSED");
    expect(new AdapterError("cannot reach S3", { cause }).cause).toBe(cause);
  });

  it("isLakeSyncError recognises errors by brand and rejects look-alikes", () => {
    expect(isLakeSyncError(new FlushError("x"))).toBe(true);
    expect(isLakeSyncError(new Error("x"))).toBe(false);
    expect(isLakeSyncError({ code: "CONFLICT", message: "forged" })).toBe(false);
    expect(isLakeSyncError(null)).toBe(false);
    expect(hasErrorCode(new ConflictError("x"), "CONFLICT")).toBe(true);
    expect(hasErrorCode(new ConflictError("x"), "FLUSH_FAILED")).toBe(false);
  });
});
