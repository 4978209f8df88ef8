/**
 * @module cli/__tests__/support/cli-harness
 * Runs the `lakesync` command line in process with captured output, and `lakesync serve` until
 * the test stops it (waiting on the line it prints, never on time).
 */
import type { CliIO, ExitCode } from "../../cli-io.js";
import { runCli } from "../../program.js";

/** What one command line printed and how it exited. */
export interface Ran {
  readonly code: ExitCode;
  readonly out: string;
  readonly err: string;
}

/** The surroundings of a test run: an empty environment unless given. */
export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly progressStream?: CliIO["progressStream"];
}

/** Runs `argv` and captures its output. */
export async function cli(argv: readonly string[], options: RunOptions = {}): Promise<Ran> {
  let out = "";
  let err = "";
  const code = await runCli(argv, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.progressStream ? { progressStream: options.progressStream } : {}),
  });
  return { code, out, err };
}

/** A `lakesync serve` running in process. */
export interface Served {
  readonly url: string;
  /** Stops it (as SIGTERM would) and resolves to what it printed and its exit code. */
  stop(): Promise<Ran>;
}

/**
 * Starts `lakesync serve ...argv` and resolves once it prints where it listens; rejects with its
 * output if it exits first.
 */
export function serve(argv: readonly string[], options: RunOptions = {}): Promise<Served> {
  const controller = new AbortController();
  let out = "";
  let err = "";
  let listening: (url: string) => void = () => {};
  const started = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const finished = runCli(["serve", ...argv], {
    out: (text) => {
      out += text;
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match?.[1]) listening(match[1]);
    },
    err: (text) => {
      err += text;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stop: controller.signal,
  });
  const stop = async (): Promise<Ran> => {
    controller.abort();
    const code = await finished;
    return { code, out, err };
  };
  return Promise.race([
    started.then((url) => ({ url, stop })),
    finished.then((code) => {
      throw new Error(`lakesync serve exited with ${code} before listening:\n${out}\n${err}`);
    }),
  ]);
}
