#!/usr/bin/env node
/**
 * @module cli/bin
 * The `lakesync-query` executable (until the `lakesync` command line hosts `query`).
 */
import { runQueryCommand } from "./query-command.js";

const code = await runQueryCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = code;
