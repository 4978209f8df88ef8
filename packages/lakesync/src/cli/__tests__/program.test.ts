import { describe, expect, it } from "vitest";
import { cli } from "./support/cli-harness.js";

const COMMANDS = ["serve", "token", "flush", "status", "compact", "expire", "migrate"] as const;

describe("lakesync: commands, help and exit codes", () => {
  it("--help lists every command and the exit codes, and exits 0", async () => {
    const ran = await cli(["--help"]);
    expect(ran.code).toBe(0);
    for (const command of [...COMMANDS, "query"]) expect(ran.out).toContain(`  ${command}`);
    expect(ran.out).toContain("Exit codes: 0 ok, 1 the operation failed, 2 usage error");
  });

  it.each(COMMANDS)("`lakesync %s --help` describes the command and exits 0", async (command) => {
    const ran = await cli([command, "--help"]);
    expect(ran.code).toBe(0);
    expect(ran.out).toContain(`Usage: lakesync ${command}`);
    expect(ran.out).toContain("--verbose");
    expect(ran.out).toMatch(/Exit codes: 0 /);
    expect(ran.err).toBe("");
  });

  it("`lakesync help <command>` is the same help", async () => {
    const ran = await cli(["help", "compact"]);
    expect(ran.code).toBe(0);
    expect(ran.out).toContain("Usage: lakesync compact");
  });

  it("--version prints the package's version and exits 0", async () => {
    const ran = await cli(["--version"]);
    expect(ran.code).toBe(0);
    expect(ran.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("no command is a usage error (exit 2) that shows the help", async () => {
    const ran = await cli([]);
    expect(ran.code).toBe(2);
    expect(ran.err).toContain("Usage: lakesync");
  });

  it("an unknown command is a usage error (exit 2) in words", async () => {
    const ran = await cli(["frobnicate"]);
    expect(ran.code).toBe(2);
    expect(ran.err).toContain("unknown command 'frobnicate'");
  });

  it("an unknown option is a usage error (exit 2)", async () => {
    const ran = await cli(["status", "--colour"]);
    expect(ran.code).toBe(2);
    expect(ran.err).toContain("unknown option '--colour'");
  });

  it("a missing required option is a usage error (exit 2) naming it", async () => {
    const ran = await cli(["token"]);
    expect(ran.code).toBe(2);
    expect(ran.err).toContain("--sub");
  });

  it.each([
    [["serve", "--port", "eighty"], "--port"],
    [["serve", "--port", "70000"], "--port"],
    [["token", "--sub", "a", "--ttl", "5 fortnights"], "--ttl"],
    [["compact", "--memory", "lots"], "--memory"],
    [["expire", "--older-than", "5"], "--older-than"],
    [["migrate", "--from", "file:a", "--to", "file:b", "--batch-size", "0"], "--batch-size"],
  ])("a bad value (%j) is a usage error (exit 2) naming %s", async (argv, option) => {
    const ran = await cli(argv);
    expect(ran.code).toBe(2);
    expect(ran.err).toContain(option);
  });

  it("`lakesync query --help` shows the analyst's options under this command's name", async () => {
    const ran = await cli(["query", "--help"]);
    expect(ran.code).toBe(0);
    expect(ran.out).toContain("Usage: lakesync query");
    expect(ran.out).toContain("--as-of");
    expect(ran.out).not.toContain("lakesync-query");
  });

  it("errors come in words without a stack trace; --verbose adds the code and the stack", async () => {
    const quiet = await cli(["compact", "--data-dir", "/nonexistent/lakesync-cli-test"]);
    expect(quiet.code).toBe(1);
    expect(quiet.err).toMatch(/^lakesync compact: no lake in \/nonexistent\/lakesync-cli-test/);
    expect(quiet.err).not.toMatch(/\n\s+at /);
    const verbose = await cli(["compact", "--data-dir", "/nonexistent/lakesync-cli-test", "-v"]);
    expect(verbose.code).toBe(1);
    expect(verbose.err).toContain("code: NO_LAKE");
    expect(verbose.err).toMatch(/\n\s+at /);
  });
});
