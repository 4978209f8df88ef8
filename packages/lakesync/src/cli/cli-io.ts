/**
 * @module cli/cli-io
 * What the `lakesync` command line reads and writes, as values, so that tests run every command
 * in process: its output streams, environment, working directory, whether progress can be drawn
 * as bars, and what stops a running server. The exit codes scripts can rely on live here too.
 */
import type { Writable } from "node:stream";

/** The exit codes of every `lakesync` command. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The operation failed (a gateway refused, the lake could not be read, a migration stopped). */
  failure: 1,
  /** The command line was wrong: an unknown command or option, a bad value, a missing argument. */
  usage: 2,
} as const;

/** One of {@link EXIT}'s codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line's surroundings. */
export interface CliIO {
  /** Standard output: results (a token, a table, JSON, query rows). */
  readonly out: (text: string) => void;
  /** Standard error: errors, notes and plain progress lines. */
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
  /**
   * Where progress bars are drawn when it is a terminal (standard error); progress is written as
   * plain lines through `err` otherwise.
   */
  readonly progressStream?: Writable & { readonly isTTY?: boolean };
  /** What stops `lakesync serve` (default: SIGINT or SIGTERM). */
  readonly stop?: AbortSignal;
  /** The fetch used for the gateway's admin routes (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** The surroundings of the real process: its streams, environment, directory and signals. */
export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    progressStream: process.stderr,
  };
}
