/**
 * @module cli/commands/token
 * `lakesync token --sub alice [--admin] [--gateway <id>] [--ttl 12h] [--secret <s>]`: a
 * development JWT (HS256), printed alone on standard output so that scripts can capture it.
 * Signed with `--secret`, else `LAKESYNC_JWT_SECRET`, else the built-in development secret that
 * `lakesync serve --dev` (and `npm start` without a secret) accepts.
 */
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import { DEV_JWT_SECRET, devToken } from "@lakesync/server";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliIO } from "../cli-io.js";
import { type CommandContext, type CommonFlags, withVerbose } from "../command-context.js";
import { parseDuration } from "../option-values.js";

interface TokenFlags extends CommonFlags {
  readonly sub: string;
  readonly admin?: boolean;
  readonly gateway: string;
  readonly ttl: number;
  readonly secret?: string;
}

async function token(io: CliIO, flags: TokenFlags): Promise<Result<void, LakeSyncError>> {
  if (flags.sub.trim() === "" || flags.sub.length > 256)
    return Err(usageError("--sub must be 1-256 characters"));
  const seconds = Math.floor(flags.ttl / 1000);
  if (seconds < 1) return Err(usageError("--ttl must be at least one second"));
  const secret = flags.secret ?? io.env.LAKESYNC_JWT_SECRET ?? DEV_JWT_SECRET;
  if (secret === "") return Err(usageError("the secret must not be empty"));
  try {
    const jwt = await devToken(secret, flags.sub, flags.admin ?? false, {
      expiresInSeconds: seconds,
      gateway: flags.gateway,
    });
    io.out(`${jwt}\n`);
    return Ok(undefined);
  } catch (cause) {
    return Err(new LakeSyncError("TOKEN_FAILED", "cannot sign the token", { cause }));
  }
}

/** Registers `token` on `program`. */
export function registerToken(program: Command, context: CommandContext): void {
  const command = program
    .command("token")
    .summary("mint a development JWT")
    .description(
      "Mints a JWT (HS256) for a gateway that verifies tokens with a shared secret, and prints only the token. The secret is --secret, else $LAKESYNC_JWT_SECRET, else the built-in development secret of `lakesync serve --dev`.",
    )
    .requiredOption("-s, --sub <subject>", "the user the token is for (the `sub` claim)")
    .option("-a, --admin", "an admin token (flush, stats, schemas, sync rules)")
    .option("-g, --gateway <id>", "the gateway the token opens (`*`: every gateway)", "*")
    .option("--ttl <duration>", "how long it is valid: 30m, 12h, 7d...", parseDuration, 43_200_000)
    .option("--secret <secret>", "the HS256 secret (default $LAKESYNC_JWT_SECRET)");
  withVerbose(command)
    .addHelpText(
      "after",
      "\nExample: TOKEN=$(lakesync token --sub alice --admin)\nExit codes: 0 printed, 1 signing failed, 2 usage error.",
    )
    .action((flags: TokenFlags) => context.run("token", flags, () => token(context.io, flags)));
}
