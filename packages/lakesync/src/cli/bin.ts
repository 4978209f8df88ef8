#!/usr/bin/env node
/**
 * @module cli/bin
 * The `lakesync` executable: runs the command line of the process and exits with its code.
 */
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv.slice(2));
